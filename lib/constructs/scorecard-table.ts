import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLE_SCHEMA } from '../../lambdas/domain/layout.ts';

export interface ScorecardTableProps {
  /** What `cdk destroy` does to the table. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Whether DynamoDB refuses to delete the table (a replacing stack update, `cdk destroy` with `DESTROY`, a
   * console click) until the flag is turned off. @default true
   */
  readonly deletionProtection?: boolean;
}

/**
 * Stateful: the single table of upload records, KPI values, period summaries and send records, keyed as
 * `TABLE_SCHEMA` says, with the KPI-history index. On demand (a few thousand writes a month do not justify
 * provisioned capacity), with point-in-time recovery (35 days of restorable history) and deletion protection,
 * since the upload history is the source of truth.
 */
export class ScorecardTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: ScorecardTableProps = {}) {
    super(scope, id);
    const str = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: str(TABLE_SCHEMA.partitionKey),
      sortKey: str(TABLE_SCHEMA.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.deletionProtection ?? true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: TABLE_SCHEMA.kpiHistoryIndex.name,
      partitionKey: str(TABLE_SCHEMA.kpiHistoryIndex.partitionKey),
      sortKey: str(TABLE_SCHEMA.kpiHistoryIndex.sortKey),
      projectionType: dynamodb.ProjectionType.ALL,
    });
  }
}
