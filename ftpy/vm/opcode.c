/* vm/opcode.c — the instruction set's tables, derived from PY_OPCODES. */
#include "opcode.h"

const char *const py_opcode_names[OP__COUNT] = {
#define PY_OPCODE_NAME(name, has_arg, is_jump) [OP_##name] = #name,
    PY_OPCODES(PY_OPCODE_NAME)
#undef PY_OPCODE_NAME
};

const uint8_t py_opcode_is_jump[OP__COUNT] = {
#define PY_OPCODE_JUMP(name, has_arg, is_jump) [OP_##name] = is_jump,
    PY_OPCODES(PY_OPCODE_JUMP)
#undef PY_OPCODE_JUMP
};
