// The installer: settings merge (pure), slash command and constraints templates, and the edges that write .claude/.
export { mergeSettings, unmergeSettings, sameJson, type JsonObject, type MergeResult, type SettingsAdditions, type SettingsIssue, type UnmergeResult } from './merge-settings.js';
export { parseSettingsText, formatSettings, type SettingsStyle } from './settings-text.js';
export { fanoutWiring, hookCommand, isFanoutHookCommand, pluginHooksJson, HOOK_TIMEOUT_SECONDS, TOOL_MATCHER, WIRED_EVENTS, type HookEntry, type HookGroup, type InstallTarget, type Wiring } from './wiring.js';
export { wiringStatus, enablesFanoutPlugin, type WiringStatus } from './wiring-status.js';
export { renderCommands, COMMAND_NAMES, COMMAND_SUMMARIES, CLI_PATHS, type CommandFile } from './commands.js';
export { pluginFiles, marketplaceFiles, PLUGIN_DIR, PLUGIN_MANIFEST, MARKETPLACE_MANIFEST, type PluginFile } from './plugin-layout.js';
export { renderConstraintsTemplate, CONSTRAINTS_PROSE_MARKER } from './constraints-template.js';
export { formatConstraints } from './format-constraints.js';
export { runInit, formatInitReport, readInstallRecord, BUNDLE_DIR, COMMANDS_DIR, type InitOptions, type InitReport } from './init.js';
export { runUninstall, formatUninstallReport, type UninstallOptions, type UninstallReport } from './uninstall.js';
export { runDoctor, formatDoctorReport, parseVersion, versionAtLeast, referencedChunks, MIN_GIT, MIN_NODE, type DoctorCheck, type DoctorOptions } from './doctor.js';
export { locateDist, isDistDir } from './locate-dist.js';
export { INSTALL_RECORD_FILE, parseInstallRecord, type InstallRecord } from './install-record.js';
export { FANOUT_VERSION } from './version.js';
