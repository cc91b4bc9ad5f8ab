// vitest reporter for scripts/test-stress.mjs: every failed test (file > describe > name) with its error
// messages, written as JSON to $FANOUT_STRESS_REPORT. (vitest's json reporter drops the message of a timeout.)
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';

export default class StressReporter {
  onTestRunEnd(testModules, unhandledErrors, reason) {
    const failures = [];
    let total = 0;
    let passed = 0;
    for (const module of testModules) {
      const file = relative(process.cwd(), module.moduleId);
      for (const test of module.children.allTests()) {
        total++;
        const result = test.result();
        if (result.state === 'passed') passed++;
        if (result.state === 'failed') failures.push({ test: `${file} > ${test.fullName}`, message: result.errors.map((error) => error.message).join('\n') });
      }
      // Errors outside any test: the file did not load, a hook failed.
      for (const error of module.errors()) failures.push({ test: file, message: error.message });
    }
    for (const error of unhandledErrors) failures.push({ test: '(unhandled error)', message: error.message ?? String(error) });
    const out = process.env.FANOUT_STRESS_REPORT;
    if (out) writeFileSync(out, `${JSON.stringify({ reason, total, passed, failures }, null, 2)}\n`);
  }
}
