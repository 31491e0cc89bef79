import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { HANDLER_ENTRIES } from '../../lambdas/domain/layout.ts';
import type { Settings } from '../../lambdas/domain/settings.ts';
import { FUNCTION_ACCESS } from '../permissions.ts';
import { ScorecardFunction } from './scorecard-function.ts';

/**
 * Native packages the report function loads at run time (resvg rasterises the sparklines). esbuild cannot
 * bundle a `.node` binary, so these stay external and are copied next to the bundle with the Linux binary of
 * the function's architecture. The function runs on x86_64 because that is the binary `npm ci` installs on the
 * Linux x64 machines the stack is built on (CI included); building elsewhere needs it installed explicitly
 * (docs/deploy.md, Prerequisites).
 */
const NATIVE_PACKAGES = [
  { name: '@resvg/resvg-js', binary: '@resvg/resvg-js-linux-x64-gnu' },
] as const;
const REPORT_ARCHITECTURE = lambda.Architecture.X86_64;

/** Bundling options that ship `NATIVE_PACKAGES` beside the bundle (run only when the stack is bundled). */
export const NATIVE_BUNDLING: BundlingOptions = {
  externalModules: NATIVE_PACKAGES.map((p) => p.name),
  commandHooks: {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling(inputDir: string, outputDir: string): string[] {
      return NATIVE_PACKAGES.flatMap((p) => [p.name, p.binary]).flatMap((name) => {
        const from = join(inputDir, 'node_modules', name);
        const help = `${name} is not installed: the report function needs it. On a machine that is not Linux x64, `
          + `run npm install --no-save --os=linux --cpu=x64 ${name}`;
        return [
          `test -d "${from}" || { echo "${help}" >&2; exit 1; }`,
          `mkdir -p "${join(outputDir, 'node_modules', name, '..')}"`,
          `cp -R "${from}" "${join(outputDir, 'node_modules', name)}"`,
        ];
      });
    },
  },
};

export interface ReportSenderProps {
  /** Where KPI values are read and send records written. */
  readonly table: dynamodb.ITable;
  /** The pipeline settings; `sender` and `recipients` address the email. */
  readonly settings: Settings;
  /** SES identity ARNs the scorecard may be sent as. */
  readonly sendingIdentityArns: readonly string[];
  /** Where a send goes after Lambda's retries failed. */
  readonly failureQueue: sqs.IQueue;
  /** Handler file. @default HANDLER_ENTRIES.sendScorecard */
  readonly entry?: string;
  /**
   * Renders one HTML scorecard (a few hundred KB) and a MIME message per recipient: small. 512 MB also buys
   * the CPU to render in well under a second; benchmarks will refine it. @default 512
   */
  readonly memorySize?: number;
  /**
   * Rendering plus one SES call per recipient, each retried by the SDK under throttling (SES's default send
   * rate is 14 messages a second): two minutes covers dozens of recipients with room. @default Duration.minutes(2)
   */
  readonly timeout?: Duration;
  /** @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * The function that renders a period's scorecard from the table and emails it with `ses:SendRawEmail` (HTML,
 * text and inline images in one MIME message). It records one send per period and recipient, so a retried
 * invocation does not email anyone twice.
 */
export class ReportSender extends Construct {
  readonly function: ScorecardFunction;

  constructor(scope: Construct, id: string, props: ReportSenderProps) {
    super(scope, id);
    this.function = new ScorecardFunction(this, 'SendScorecard', {
      entry: props.entry ?? HANDLER_ENTRIES.sendScorecard,
      description: 'Renders and emails the scorecard of a computed period',
      settings: props.settings,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.minutes(2),
      logRemovalPolicy: props.logRemovalPolicy,
      architecture: REPORT_ARCHITECTURE,
      bundling: NATIVE_BUNDLING,
      // Invoked asynchronously (the KPI function's on-success destination): retried twice, then the queue.
      // Retrying is safe: a recipient already sent is skipped (the send ledger).
      onFailure: props.failureQueue,
    })
      .bindTable(props.table, FUNCTION_ACCESS.sendScorecard.dynamodb)
      .allowSending(props.sendingIdentityArns, FUNCTION_ACCESS.sendScorecard.ses);
  }
}
