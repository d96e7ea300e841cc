/**
 * The smallest useful pipeline: one step writes a greeting to a Dataset, the next reads it.
 *   npx sluice compile examples/hello/pipeline.ts
 */
import { component, Dataset, Param, pipeline } from 'sluice';

export const writeGreeting = component({
  name: 'write-greeting',
  image: 'alpine:3.20',
  inputs: { name: Param.string() },
  outputs: { greeting: Dataset },
  command: ['sh', '-c', 'mkdir -p "$(dirname "$1")" && echo "Hello, $0!" > "$1"'],
  args: ({ inputs, outputs }) => [inputs.name, outputs.greeting.path],
});

export const printGreeting = component({
  name: 'print-greeting',
  image: 'alpine:3.20',
  inputs: { greeting: Dataset },
  command: ['cat'],
  args: ({ inputs }) => [inputs.greeting.path],
});

export default pipeline(
  {
    name: 'hello',
    description: 'Write a greeting, then read it back.',
    inputs: { name: Param.string({ default: 'Sluice' }) },
  },
  ({ name }) => {
    const written = writeGreeting({ name });
    printGreeting({ greeting: written.outputs.greeting });
  },
);
