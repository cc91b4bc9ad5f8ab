/** Named operations the shell analyser recognises (see src/guard). Kept apart from the zod schema so the hook can import it cheaply. */
export const BUILTIN_TRIGGERS = ['add-dependency', 'create-migration', 'sudo', 'git-push', 'publish', 'deploy'] as const;
export type BuiltinTrigger = (typeof BUILTIN_TRIGGERS)[number];
