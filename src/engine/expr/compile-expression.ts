import type { MathNode } from 'mathjs';

/**
 * Behaviour parameters may be mathjs expressions over named member variables, e.g.
 * `min(1, 0.2 + saving_share)`. Parsed once, checked against an allowlist of node types,
 * operators, functions and variable names, compiled once, evaluated many times with a Map scope.
 * Disabling functions alone is not enough (matrix syntax, accessors), hence the tree walk.
 */
let parseFn: ((s: string) => MathNode) | undefined;

/**
 * Loads mathjs and builds the restricted instance. mathjs takes over a second to import, and most
 * runs have no expression, so shells call this only when a scenario has one (usesExpressions).
 */
export async function loadExpressionEngine(): Promise<void> {
  if (parseFn) return;
  const { create, all } = await import('mathjs');
  const math = create(all!, { number: 'number' });
  parseFn = math.parse.bind(math); // keep our own handle before disabling parse for expressions
  const blocked = () => {
    throw new Error('disabled in feesim expressions');
  };
  math.import(
    {
      import: blocked,
      createUnit: blocked,
      evaluate: blocked,
      parse: blocked,
      simplify: blocked,
      derivative: blocked,
      resolve: blocked,
      reviver: blocked,
    },
    { override: true },
  );
}

/** True when any value of the scenario is an expression string a model would compile. */
export function usesExpressions(scenario: { options: Record<string, unknown> }): boolean {
  return Object.values(scenario.options).some((o) => typeof (o as { switchPropensity?: unknown }).switchPropensity === 'string');
}

/**
 * loadExpressionEngine when the scenario has an expression (usesExpressions): what each shell calls
 * before compiling its model — the CLI's session (whose engine the explorer's Ink part shares) and the
 * Monte Carlo worker (a thread with module state of its own).
 */
export async function loadExpressionEngineFor(scenario: { options: Record<string, unknown> }): Promise<void> {
  if (usesExpressions(scenario)) await loadExpressionEngine();
}

function parse(source: string): MathNode {
  if (!parseFn) throw new Error('internal: loadExpressionEngine() must be awaited before compiling expressions');
  return parseFn(source);
}

const ALLOWED_NODES = new Set(['ConstantNode', 'SymbolNode', 'OperatorNode', 'FunctionNode', 'ParenthesisNode', 'ConditionalNode']);
const ALLOWED_FUNCTIONS = new Set(['min', 'max', 'abs', 'round', 'floor', 'ceil', 'sqrt', 'exp', 'log', 'pow']);
const ALLOWED_OPERATORS = new Set([
  'add',
  'subtract',
  'multiply',
  'divide',
  'unaryMinus',
  'unaryPlus',
  'pow',
  'smaller',
  'larger',
  'smallerEq',
  'largerEq',
  'equal',
  'unequal',
  'and',
  'or',
  'not',
]);

/** Member variables an expression may use (docs/model.md, "Expressions"). */
export const MEMBER_VARIABLES = [
  'saving_chf',
  'saving_share',
  'fee_current',
  'fee_new',
  'employees',
  'developing',
  'sector_member',
  'class_units',
  'class_ratio',
  'sectors',
  'keeps_sm_rights',
] as const;

export interface CompiledExpression {
  source: string;
  evaluate(scope: Map<string, number>): number;
}

/** Limits that keep parsing, checking and compiling an expression flat and fast (docs/model.md, "Expressions"). */
export const EXPRESSION_LIMITS = { length: 1000, nesting: 32, depth: 64 } as const;

/** The deepest parenthesis nesting, counted before mathjs parses (its parser recurses per level). */
function nesting(source: string): number {
  let depth = 0;
  let max = 0;
  for (const ch of source) {
    if (ch === '(' || ch === '[' || ch === '{') max = Math.max(max, ++depth);
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
  }
  return max;
}

export function compileExpression(
  source: string,
  variables: readonly string[] = MEMBER_VARIABLES,
): { expr?: CompiledExpression; problems: string[] } {
  if (source.length > EXPRESSION_LIMITS.length)
    return { problems: [`expression is ${source.length} characters long; at most ${EXPRESSION_LIMITS.length} are allowed`] };
  if (nesting(source) > EXPRESSION_LIMITS.nesting)
    return { problems: [`brackets nested ${nesting(source)} deep; at most ${EXPRESSION_LIMITS.nesting} levels are allowed`] };
  let node: MathNode;
  try {
    node = parse(source);
  } catch (e) {
    return { problems: [`not a valid expression: ${(e as Error).message}`] };
  }
  const problems: string[] = [];
  // An explicit stack, not node.traverse(): a long chain of operators is a deep tree.
  const stack: { n: MathNode; parent: MathNode | null; depth: number }[] = [{ n: node, parent: null, depth: 1 }];
  let deepest = 0;
  while (stack.length) {
    const { n, parent, depth } = stack.pop()!;
    deepest = Math.max(deepest, depth);
    if (!ALLOWED_NODES.has(n.type)) problems.push(`${describe(n.type)} is not allowed`);
    else if (n.type === 'OperatorNode' && !ALLOWED_OPERATORS.has((n as unknown as { fn: string }).fn))
      problems.push(`operator "${(n as unknown as { op: string }).op}" is not allowed`);
    else if (n.type === 'FunctionNode') {
      const fn = (n as unknown as { fn: MathNode & { name?: string } }).fn;
      if (!(fn.type === 'SymbolNode' && ALLOWED_FUNCTIONS.has(fn.name!)))
        problems.push(`function ${fn.name ?? fn.type} is not allowed; allowed: ${[...ALLOWED_FUNCTIONS].join(', ')}`);
    } else if (n.type === 'SymbolNode') {
      const isCallee = parent?.type === 'FunctionNode' && (parent as unknown as { fn: MathNode }).fn === n;
      const name = (n as unknown as { name: string }).name;
      if (!isCallee && !variables.includes(name)) problems.push(`unknown variable "${name}"; allowed: ${variables.join(', ')}`);
    } else if (n.type === 'ConstantNode' && typeof (n as unknown as { value: unknown }).value !== 'number')
      problems.push('only numeric constants are allowed');
    if (problems.length > 20) break;
    n.forEach((child: MathNode) => {
      stack.push({ n: child, parent: n, depth: depth + 1 });
    });
  }
  if (deepest > EXPRESSION_LIMITS.depth)
    problems.push(`expression nests ${deepest} operations deep; at most ${EXPRESSION_LIMITS.depth} are allowed (split it, or use min/max)`);
  if (problems.length) return { problems: [...new Set(problems)] };
  const code = node.compile();
  return {
    problems: [],
    expr: {
      source,
      evaluate(scope) {
        const r = code.evaluate(scope) as unknown;
        const v = typeof r === 'boolean' ? (r ? 1 : 0) : r;
        if (typeof v !== 'number' || !Number.isFinite(v))
          throw new Error(`expression "${source}" gave ${String(r)}, expected a finite number`);
        return v;
      },
    },
  };
}

function describe(type: string): string {
  const names: Record<string, string> = {
    AssignmentNode: 'assignment',
    FunctionAssignmentNode: 'function definition',
    AccessorNode: 'property access',
    IndexNode: 'property or index access',
    ArrayNode: 'matrix building',
    ObjectNode: 'object building',
    BlockNode: 'multiple statements',
    RangeNode: 'ranges',
  };
  return names[type] ? `${names[type]} (${type})` : type;
}
