import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { BUCKET_PREFIX, HANDLER_ENTRIES, RESOURCE_ENV } from '../../lambdas/domain/layout.ts';
import type { Settings } from '../../lambdas/domain/settings.ts';
import { FUNCTION_ACCESS } from '../permissions.ts';
import { ScorecardFunction } from './scorecard-function.ts';

export interface ScorecardPageProps {
  /** The private bucket the report function writes each period's page into (`web/<period>/`). */
  readonly bucket: s3.IBucket;
  /** The pipeline settings (the refusal page names `contact`). */
  readonly settings: Settings;
  /** Handler file. @default HANDLER_ENTRIES.viewPage */
  readonly entry?: string;
  /** Reads one small object and answers: little memory. @default 256 */
  readonly memorySize?: number;
  /** One Secrets Manager call every few minutes, one GetObject. @default Duration.seconds(10) */
  readonly timeout?: Duration;
  /** What `cdk destroy` does to the link key's secret and the viewer's logs. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The private drill-down page of each period. The report function writes it into the private bucket beside the
 * email; readers reach it only through the viewer: a function behind a Lambda Function URL (auth NONE, as a
 * browser cannot sign AWS requests) that serves a period's page or CSV to a link signed with HMAC-SHA256 and not
 * expired, and answers 403 to anything else. The key is a generated secret in Secrets Manager that only the report
 * and viewer functions may read; putting a new value in it revokes every link signed with the old one.
 */
export class ScorecardPage extends Construct {
  readonly secret: secretsmanager.Secret;
  readonly function: ScorecardFunction;
  readonly url: lambda.FunctionUrl;

  constructor(scope: Construct, id: string, props: ScorecardPageProps) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'LinkKey', {
      description: 'Signs the scorecard email\'s links to its drill-down page (HMAC-SHA256); a new value revokes every link signed with the old one',
      // 64 letters and digits: about 380 bits, in a string that `put-secret-value` can replace from a shell.
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.function = new ScorecardFunction(this, 'ViewPage', {
      entry: props.entry ?? HANDLER_ENTRIES.viewPage,
      description: 'Serves a period\'s scorecard page or CSV to a signed, unexpired link; 403 to anything else',
      settings: props.settings,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      logRemovalPolicy: props.removalPolicy,
      // Behind its URL only: the browser gets the answer, there is no event to retry or park.
      synchronous: true,
    })
      .bindBucket(props.bucket, { read: [`${BUCKET_PREFIX.web}*`], actions: FUNCTION_ACCESS.viewPage.s3 })
      .bindLinkKey(this.secret, FUNCTION_ACCESS.viewPage.secretsmanager);
    this.url = this.function.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
  }

  /** Lets the report function write pages and sign their links: `web/*` writes, the key, the viewer's URL. */
  bindReport(report: ScorecardFunction, bucket: s3.IBucket): void {
    report
      .bindBucket(bucket, { write: [`${BUCKET_PREFIX.web}*`], actions: FUNCTION_ACCESS.sendScorecard.s3 })
      .bindLinkKey(this.secret, FUNCTION_ACCESS.sendScorecard.secretsmanager)
      .addEnvironment(RESOURCE_ENV.pageUrl, this.url.url);
  }
}
