// Shared by every mote compute shader: 64 invocations per workgroup, one output element per
// invocation, the 1-D index spread over x and y so that a dispatch can exceed 65535 groups.
// Push constant word 0 is always the number of invocations (`total`).
// Tensors are stored as T: float, or float16_t when built with MOTE_FP16 (the delegate's fp16
// option: half the memory traffic); arithmetic is float32 either way (loads convert up, stores down).
#ifdef MOTE_FP16
#extension GL_EXT_shader_16bit_storage : require
#define T float16_t
#else
#define T float
#endif
layout(local_size_x = 64, local_size_y = 1, local_size_z = 1) in;

uint mote_index() { return gl_GlobalInvocationID.y * gl_NumWorkGroups.x * 64u + gl_GlobalInvocationID.x; }

// fused activation as the CPU kernels clamp: v < lo ? lo : (v > hi ? hi : v)
float mote_act(float v, float lo, float hi) { return v < lo ? lo : (v > hi ? hi : v); }
