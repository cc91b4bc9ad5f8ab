// The tracking store of the command hooks: node's fs, through the same interface as the hooks module's.
import { nodeFs } from '../util/node-fs.js';
import { hostTrackingStore } from './host-tracking-store.js';

export const nodeTrackingStore = hostTrackingStore(nodeFs);
