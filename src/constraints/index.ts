export * from './schema.js';
export * from './defaults.js';
export * from './parse-constraints.js';
