import { Stack, aws_athena as athena, aws_glue as glue, type aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DATASET_NAMES, type DatasetName } from '../../lambdas/domain/layout.ts';
import { snapshotColumns } from '../../lambdas/domain/records/snapshot.ts';
import { FUNCTION_ACCESS } from '../permissions.ts';
import type { ScorecardFunction } from './scorecard-function.ts';

/** Where the KPI run keeps the snapshots (lambdas/use-cases/snapshot-sync.ts): partitions, key indexes, manifests. */
export const SNAPSHOTS_PREFIX = 'snapshots/';
/** Where the workgroup writes query results. */
export const ATHENA_RESULTS_PREFIX = 'athena-results/';

export interface SnapshotTablesProps {
  readonly bucket: s3.IBucket;
  /** The KPI function, which writes the snapshots (and deletes the objects they no longer name). */
  readonly kpiFunction: ScorecardFunction;
  /** The Glue database's name (lower case, unique in the account and region). @default 'smarketing_scorecard' */
  readonly databaseName?: string;
}

/**
 * The compacted snapshots as a table per dataset that Athena reads on the day of deployment: a Glue database, one
 * external Parquet table per dataset over `snapshots/<dataset>/`, partitioned by `month` (`month=YYYY-MM/`) with
 * partition projection (no crawler, no partition to register: every month from 2000-01 to now is projected, and
 * a month with no object reads as empty), and an Athena workgroup whose results go to `athena-results/`.
 *
 * ```sql
 * SELECT source, count(*) AS leads FROM smarketing_scorecard.leads WHERE month = '2026-10' GROUP BY source;
 * ```
 *
 * A run writes a changed partition as a new object and deletes the one it replaces right after switching the
 * manifest: a query in those seconds may count a moved record twice (docs/snapshots.md).
 */
export class SnapshotTables extends Construct {
  readonly database: glue.CfnDatabase;
  readonly tables: Readonly<Record<DatasetName, glue.CfnTable>>;
  readonly workgroup: athena.CfnWorkGroup;
  readonly databaseName: string;

  constructor(scope: Construct, id: string, props: SnapshotTablesProps) {
    super(scope, id);
    const { bucket } = props;
    const account = Stack.of(this).account;
    this.databaseName = props.databaseName ?? 'smarketing_scorecard';

    // Reads and writes its objects (a new key each time), and deletes those no manifest names any more.
    props.kpiFunction.bindBucket(bucket, {
      read: [`${SNAPSHOTS_PREFIX}*`],
      write: [`${SNAPSHOTS_PREFIX}*`],
      actions: { read: FUNCTION_ACCESS.computeKpis.s3.read, write: FUNCTION_ACCESS.computeKpis.s3.write },
    });

    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: account,
      databaseInput: {
        name: this.databaseName,
        description: 'The scorecard pipeline\'s merged records (the latest record per key), one table per dataset, partitioned by month',
      },
    });

    const tables = {} as Record<DatasetName, glue.CfnTable>;
    for (const dataset of DATASET_NAMES) {
      const location = `s3://${bucket.bucketName}/${SNAPSHOTS_PREFIX}${dataset}/`;
      const table = new glue.CfnTable(this, `Table-${dataset}`, {
        catalogId: account,
        databaseName: this.databaseName,
        tableInput: {
          name: dataset,
          description: `${dataset}: the latest record of each key, partitioned by the local month of its primary date`,
          tableType: 'EXTERNAL_TABLE',
          parameters: {
            classification: 'parquet',
            'projection.enabled': 'true',
            'projection.month.type': 'date',
            'projection.month.format': 'yyyy-MM',
            'projection.month.range': '2000-01,NOW',
            'projection.month.interval': '1',
            'projection.month.interval.unit': 'MONTHS',
            'storage.location.template': `${location}month=\${month}/`,
          },
          partitionKeys: [{ name: 'month', type: 'string', comment: 'YYYY-MM: the local month of the primary date' }],
          storageDescriptor: {
            location,
            columns: snapshotColumns(dataset).map((c) => ({ name: c.name, type: c.athenaType })),
            inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
            outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
            serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
          },
        },
      });
      table.addDependency(this.database);
      tables[dataset] = table;
    }
    this.tables = tables;

    this.workgroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: this.databaseName.replace(/_/g, '-'),
      description: 'Queries of the scorecard tables (results kept in the bucket, encrypted)',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        resultConfiguration: {
          outputLocation: `s3://${bucket.bucketName}/${ATHENA_RESULTS_PREFIX}`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });
  }
}
