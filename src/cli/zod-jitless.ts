import { z } from 'zod';

// Start-up (README, Performance): zod compiles a fast path (new Function) for each object schema the
// first time it parses. A CLI process parses each schema once or a few times, and the compile costs more
// than it saves (≈ 30–70 ms on the scenario schema). Imported before the first schema is built: by the
// actions in main.ts and by the Monte Carlo worker. Validation results are the same either way.
z.config({ jitless: true });
