// One JSON line per top-level scenario, for NodeTests to turn into one JUnit test each.
import { inspect } from 'node:util';

export default async function* report(source) {
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.nesting === 0) {
      const error = event.data.details?.error;
      yield `${JSON.stringify({
        name: event.data.name,
        file: event.data.file,
        passed: event.type === 'test:pass',
        error: error ? inspect(error.cause ?? error, { depth: 4 }) : null,
      })}\n`;
    }
  }
}
