// The allocator's settings, read by jemalloc at start-up from this symbol, whose name and type
// are jemalloc's (docs/architecture.md, "Memory"). Compiled into each program that links
// jemalloc (CMakeLists.txt, creneau_allocator).
//
// Freed pages go back to the system about a second after they are freed rather than ten (as
// the allocator next runs: there is no background thread), so that the memory each live
// connection costs stays what the operations guide gives, at no measurable cost to the
// ledger. Pages are returned outright, not kept as lazily freed ("muzzy") pages that still
// count in the resident set until the kernel needs them.
extern "C" {
const char* malloc_conf = "dirty_decay_ms:1000,muzzy_decay_ms:0";
}
