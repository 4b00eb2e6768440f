"""Pure models: physics and statistics, numbers and frames in, numbers and frames out, no I/O."""
