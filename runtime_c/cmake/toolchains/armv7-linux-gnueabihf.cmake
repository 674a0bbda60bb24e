# Cross build for 32-bit Raspberry Pi OS (armv7l, NEON) with Debian's gcc-arm-linux-gnueabihf.
# Tests run under qemu-arm (CMAKE_CROSSCOMPILING_EMULATOR); QEMU_CPU picks the emulated CPU.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR armv7l)
set(CMAKE_C_COMPILER arm-linux-gnueabihf-gcc)
# Debian armhf baseline (armv7-a, VFPv3-D16); NEON files get -mfpu=neon(-vfpv4) from mote_isa.cmake
set(CMAKE_FIND_ROOT_PATH /usr/arm-linux-gnueabihf)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-arm;-L;/usr/arm-linux-gnueabihf)
