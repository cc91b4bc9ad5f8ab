// The hook's core, bundled as CommonJS so the loader (entry.ts) can compile it with a V8 code cache.
export { runHook } from './main.js';
