/**
 * Whole-argument placeholders of container commands and args. The KFP SDK writes IfPresentPlaceholder and
 * ConcatPlaceholder as a JSON string in place of the argument, nested arbitrarily:
 *   `{"IfPresent": {"InputName": "x", "Then": [...], "Else": [...]}}`  (Then/Else: a string, a structure or a list)
 *   `{"Concat": ["--x=", "{{$.inputs.parameters['x']}}"]}`
 * Any other string is a template (placeholders.ts), including JSON payloads that merely start with `{`.
 */
import { type PlaceholderError, parsePlaceholders, type TemplateSegment } from './placeholders.ts';
import { didYouMean } from './suggest.ts';

export type CommandLineElement =
  | { type: 'TEMPLATE'; segments: TemplateSegment[] }
  /**
   * KFP's Then / Else: resolves to `whenPresent` when the input has a value (null counts as absent), else to
   * `whenAbsent`. A list contributes several argv entries at top level; inside a Concat each branch is a
   * single element (KFP's rule). Not named `then`, which would make the object a thenable.
   */
  | {
      type: 'IF_PRESENT';
      inputName: string;
      whenPresent: CommandLineElement[];
      whenAbsent: CommandLineElement[];
    }
  /** Resolves to the items' values joined with no separator. */
  | { type: 'CONCAT'; items: CommandLineElement[] };

export interface CommandLineElementParse {
  element: CommandLineElement;
  errors: PlaceholderError[];
}

const STRUCTURED_ARGUMENT = /^\s*\{\s*"(IfPresent|Concat)"\s*:/;

/**
 * Parses one command or args entry.
 *
 * @example
 * parseCommandLineElement('{"Concat": ["--lr=", "{{$.inputs.parameters[\'lr\']}}"]}').element
 * // {type:'CONCAT', items:[{type:'TEMPLATE', …'--lr='}, {type:'TEMPLATE', …INPUT_PARAMETER lr}]}
 */
export function parseCommandLineElement(text: string): CommandLineElementParse {
  const structured = STRUCTURED_ARGUMENT.exec(text);
  if (!structured) return templateElement(text, '', []);
  const errors: PlaceholderError[] = [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    errors.push({
      message: `a {"${structured[1]}": …} argument must be valid JSON, as KFP decodes it (${reason})`,
    });
    return { element: { type: 'TEMPLATE', segments: [{ type: 'LITERAL', text }] }, errors };
  }
  const element = toElement(json, '', false, errors);
  return { element: element ?? { type: 'TEMPLATE', segments: [] }, errors };
}

function templateElement(text: string, where: string, errors: PlaceholderError[]): CommandLineElementParse {
  const parsed = parsePlaceholders(text);
  for (const error of parsed.errors) {
    errors.push(where === '' ? error : { message: `${where}: ${error.message}` });
  }
  return { element: { type: 'TEMPLATE', segments: parsed.segments }, errors };
}

/** Converts decoded JSON; `where` names the spot for messages (`IfPresent.Then[1]`). */
function toElement(
  json: unknown,
  where: string,
  inConcat: boolean,
  errors: PlaceholderError[],
): CommandLineElement | undefined {
  if (typeof json === 'string') return templateElement(json, where, errors).element;
  const keys = isObject(json) ? Object.keys(json) : [];
  if (!isObject(json) || keys.length !== 1 || (keys[0] !== 'IfPresent' && keys[0] !== 'Concat')) {
    errors.push({
      message: `${where || 'argument'}: expected a string, {"IfPresent": …} or {"Concat": […]}, got ${JSON.stringify(json)}`,
    });
    return undefined;
  }
  const here = where === '' ? keys[0] : `${where}.${keys[0]}`;
  if (keys[0] === 'Concat') return toConcat(json.Concat, here, errors);
  return toIfPresent(json.IfPresent, here, inConcat, errors);
}

function toConcat(items: unknown, where: string, errors: PlaceholderError[]): CommandLineElement | undefined {
  if (!Array.isArray(items)) {
    errors.push({ message: `${where}: takes a list of items, got ${JSON.stringify(items)}` });
    return undefined;
  }
  const elements = items.map((item, i) => toElement(item, `${where}[${i}]`, true, errors));
  return { type: 'CONCAT', items: elements.filter((e) => e !== undefined) };
}

const IF_PRESENT_KEYS = ['InputName', 'Then', 'Else'];

function toIfPresent(
  body: unknown,
  where: string,
  inConcat: boolean,
  errors: PlaceholderError[],
): CommandLineElement | undefined {
  if (!isObject(body)) {
    errors.push({ message: `${where}: takes {"InputName": …, "Then": …}, got ${JSON.stringify(body)}` });
    return undefined;
  }
  for (const key of Object.keys(body)) {
    if (!IF_PRESENT_KEYS.includes(key)) {
      errors.push({
        message: `${where}: unknown key '${key}'${didYouMean(key, IF_PRESENT_KEYS)}; allowed: InputName, Then, Else`,
      });
    }
  }
  const inputName = body.InputName;
  if (typeof inputName !== 'string' || inputName === '') {
    errors.push({ message: `${where}: needs "InputName", the name of an input of the component` });
  }
  if (!('Then' in body)) errors.push({ message: `${where}: needs "Then", the argument(s) to use` });
  const branch = (key: 'Then' | 'Else'): CommandLineElement[] => {
    const value = body[key];
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) {
      if (inConcat) {
        errors.push({
          message: `${where}.${key}: inside Concat, ${key} must be a single element, not a list`,
        });
      }
      return value
        .map((item, i) => toElement(item, `${where}.${key}[${i}]`, false, errors))
        .filter((e) => e !== undefined);
    }
    const element = toElement(value, `${where}.${key}`, inConcat, errors);
    return element === undefined ? [] : [element];
  };
  const whenPresent = branch('Then');
  const whenAbsent = branch('Else');
  if (typeof inputName !== 'string' || inputName === '') return undefined;
  return { type: 'IF_PRESENT', inputName, whenPresent, whenAbsent };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
