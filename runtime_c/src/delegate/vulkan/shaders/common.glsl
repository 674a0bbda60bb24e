// Shared by every mote compute shader: 64 invocations per workgroup, one output element per
// invocation, the 1-D index spread over x and y so that a dispatch can exceed 65535 groups.
// Push constant word 0 is always the number of invocations (`total`).
layout(local_size_x = 64, local_size_y = 1, local_size_z = 1) in;

uint mote_index() { return gl_GlobalInvocationID.y * gl_NumWorkGroups.x * 64u + gl_GlobalInvocationID.x; }

// fused activation as the CPU kernels clamp: v < lo ? lo : (v > hi ? hi : v)
float mote_act(float v, float lo, float hi) { return v < lo ? lo : (v > hi ? hi : v); }
