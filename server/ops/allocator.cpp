// The allocator's settings, read by jemalloc at start-up from this symbol (docs/architecture.md,
// "Memory"). Compiled into each program that links jemalloc (CMakeLists.txt, creneau_allocator).
//
// Freed pages go back to the system after about a second rather than ten: the memory each
// live connection costs stays what the operations guide gives, at no measurable cost to the
// ledger. Pages are returned outright, not kept as lazily freed ("muzzy") pages that still
// count in the resident set until the kernel needs them.
extern "C" {
// NOLINTNEXTLINE: the name and type are jemalloc's.
const char* malloc_conf = "dirty_decay_ms:1000,muzzy_decay_ms:0";
}
