/**
 * The synthesized ScorecardStack and readers of its template, shared by the test/infra files. Loading
 * aws-cdk-lib costs seconds per test file and a synth more, so a file synthesizes the default stack once
 * (`defaultStack()`) and its describes share it; bundling is skipped. The stack is synthesized with the cdk-nag
 * plugins, as `cdk synth` does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { readStackConfig } from '../../lib/config.ts';
import { addNagChecks } from '../../lib/nag.ts';
import { PROJECT_ROOT } from '../../lib/paths.ts';
import { ScorecardStack } from '../../lib/scorecard-stack.ts';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
/** Skips esbuild bundling of every stack's functions: the template is the same, the synth much faster. */
const SKIP_BUNDLING = { 'aws:cdk:bundling-stacks': [] };
/** cdk.json's context (feature flags), so the tests synthesize what `cdk synth` does. */
const CDK_JSON_CONTEXT = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')).context as Record<string, unknown>;

/** Real addresses (no placeholder), a non-UTC zone: the context of the default stack. */
export const CONTEXT = {
  timezone: 'Europe/Paris',
  sender: 'scorecard@acme.example',
  recipients: 'ceo@acme.example, cmo@acme.example',
  opsEmail: 'ops@acme.example',
};

// CloudFormation JSON is untyped; the tests read it by the shapes CloudFormation documents.
export type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Synthesized {
  app: App;
  stack: ScorecardStack;
  template: Template;
  /** cdk.out/validation-report.json of the synth (cdk-nag's findings, failing and acknowledged). */
  report: Json;
}

/** Synthesizes the app with the cdk-nag plugins, as bin/app.ts does; a failing finding throws here. */
export function synth(context: Record<string, unknown>): Synthesized {
  const app = new App({ context: { ...CDK_JSON_CONTEXT, ...SKIP_BUNDLING, ...context } });
  const stack = new ScorecardStack(app, 'SmarketingScorecard', {
    env: { account: ACCOUNT, region: REGION },
    config: readStackConfig(app.node),
  });
  addNagChecks(app);
  const assembly = app.synth();
  const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'));
  return { app, stack, template: Template.fromStack(stack), report };
}

let cached: Synthesized | undefined;

/** The stack of `CONTEXT`, synthesized on first use and shared by every describe of the test file. */
export function defaultStack(): Synthesized {
  cached ??= synth(CONTEXT);
  return cached;
}

/** Acknowledgements recorded in the tree that no finding used: stale ones, to be deleted from lib/nag.ts. */
export function unusedAcknowledgements(app: App, report: Json): string[] {
  const used = new Set<string>();
  for (const r of report.pluginReports as Json[]) {
    for (const v of (r.suppressedViolations ?? []) as Json[]) used.add(`${v.acknowledgedId} @ ${v.acknowledgedAt}`);
  }
  const unused: string[] = [];
  for (const c of app.node.findAll()) {
    for (const entry of c.node.metadata) {
      if (entry.type !== 'aws:cdk:acknowledged-rules') continue;
      for (const id of Object.keys(entry.data as object)) if (!used.has(`${id} @ ${c.node.path}`)) unused.push(`${id} @ ${c.node.path}`);
    }
  }
  return unused;
}

// ---- template readers ----------------------------------------------------------------------------------

/** Renders an intrinsic as readable text: `arn:aws:ses:...`, `<Bucket.Arn>/incoming/leads/*`, `<Ref Table>`. */
export function flat(v: Json): string {
  if (typeof v === 'string') return v;
  if (v?.['Fn::Join']) return (v['Fn::Join'][1] as Json[]).map(flat).join(v['Fn::Join'][0] as string);
  if (v?.Ref === 'AWS::Partition') return 'aws';
  if (v?.Ref) return `<Ref ${v.Ref}>`;
  if (v?.['Fn::GetAtt']) return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
  return JSON.stringify(v);
}

const asList = <T,>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export interface Statement {
  policy: string;
  roles: string[];
  effect: string;
  actions: string[];
  resources: string[];
}

/** Every identity-policy statement: attached policies and roles' inline policies. */
export function statements(template: Template): Statement[] {
  const toStatements = (policy: string, roles: string[], document: Json): Statement[] =>
    (document.Statement as Json[]).map((s) => ({
      policy,
      roles,
      effect: s.Effect as string,
      actions: asList<string>(s.Action),
      resources: asList<Json>(s.Resource).map(flat),
    }));
  const attached = Object.entries(template.findResources('AWS::IAM::Policy')).flatMap(([id, p]: [string, Json]) =>
    toStatements(id, asList<Json>(p.Properties.Roles).map(flat), p.Properties.PolicyDocument),
  );
  const inline = Object.entries(template.findResources('AWS::IAM::Role')).flatMap(([id, r]: [string, Json]) =>
    asList<Json>(r.Properties.Policies).flatMap((p) => toStatements(`${id}/${p.PolicyName}`, [`<Ref ${id}>`], p.PolicyDocument)),
  );
  return [...attached, ...inline];
}

export const logicalId = (stack: ScorecardStack, fn: Construct): string => stack.getLogicalId(fn.node.defaultChild as CfnFunction);

/** The logical id of a construct's CloudFormation resource. */
export const resourceId = (stack: ScorecardStack, c: Construct): string => stack.getLogicalId(c.node.defaultChild as Json);

/** The statements of the policy attached to a function's role. */
export function statementsOf(template: Template, stack: ScorecardStack, fn: Construct & { role?: Json }): Statement[] {
  const roleId = stack.getLogicalId(fn.role.node.defaultChild);
  return statements(template).filter((s) => s.roles.includes(`<Ref ${roleId}>`));
}

/**
 * What a function's role allows, one `action on resource` line per pair, sorted: the whole grant, to compare
 * with a list written out by hand. A Deny would show as `DENY ...`.
 */
export function grantsOf(template: Template, stack: ScorecardStack, fn: Construct): string[] {
  return statementsOf(template, stack, fn)
    .flatMap((s) => s.actions.flatMap((a) => s.resources.map((r) => `${s.effect === 'Allow' ? '' : 'DENY '}${a} on ${r}`)))
    .sort();
}

export function envOf(template: Template, id: string): Record<string, Json> {
  const fn = template.toJSON().Resources[id];
  return fn.Properties.Environment.Variables;
}

/** Every pipeline function: one validator per dataset, the misplaced-upload notifier, the KPI function, the report function. */
export function pipelineFunctions(stack: ScorecardStack): Construct[] {
  return [...Object.values(stack.validation.functions), stack.misplaced.function, stack.kpis.function, stack.report.function];
}
