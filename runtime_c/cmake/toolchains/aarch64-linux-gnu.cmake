# Cross build for 64-bit Raspberry Pi OS / aarch64 Linux with Debian's gcc-aarch64-linux-gnu.
# Tests run under qemu-aarch64 (CMAKE_CROSSCOMPILING_EMULATOR), e.g.
#   cmake -S runtime_c -B build-a64 -DCMAKE_TOOLCHAIN_FILE=runtime_c/cmake/toolchains/aarch64-linux-gnu.cmake
#   ctest --test-dir build-a64           (QEMU_CPU=cortex-a72 or QEMU_CPU=max picks the emulated CPU)
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64;-L;/usr/aarch64-linux-gnu)
