// The version the CLI, the plugin manifest and install.json report: package.json's, bundled at build time.
import pkg from '../../package.json' with { type: 'json' };

export const FANOUT_VERSION: string = pkg.version;
