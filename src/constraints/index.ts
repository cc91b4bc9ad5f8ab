export * from './schema.js';
export * from './defaults.js';
export * from './resolve-constraints.js';
export * from './parse-constraints.js';
export * from './read-constraints.js';
