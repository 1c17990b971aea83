"""vidora.eval: measure how faithful a clip is to its prompt, with classical CV on the known world."""
