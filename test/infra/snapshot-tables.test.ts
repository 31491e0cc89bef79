/**
 * The snapshot tables, as intended (written out by hand): a Glue database, one external Parquet table per dataset
 * over `snapshots/<dataset>/` with partition projection on `month`, the columns the KPI run writes, and an Athena
 * workgroup whose results go to the bucket, encrypted.
 */
import { describe, expect, it } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import { ACCOUNT, defaultStack, type Json } from '../helpers/infra-stack.ts';

const { template } = defaultStack();
const bucket = { Ref: Match.stringLikeRegexp('^UploadsBucket') };

describe('the snapshot tables', () => {
  it('one Glue database', () => {
    template.resourceCountIs('AWS::Glue::Database', 1);
    template.hasResourceProperties('AWS::Glue::Database', { CatalogId: ACCOUNT, DatabaseInput: { Name: 'smarketing_scorecard' } });
  });

  it('a Parquet table per dataset, partitioned by month with projection from 2000-01 to now', () => {
    const tables = template.findResources('AWS::Glue::Table') as Record<string, Json>;
    expect(Object.values(tables).map((t) => t.Properties.TableInput.Name).sort()).toEqual(['customers', 'leads', 'opportunities', 'spend', 'web_traffic']);
    template.hasResourceProperties('AWS::Glue::Table', {
      CatalogId: ACCOUNT,
      DatabaseName: 'smarketing_scorecard',
      TableInput: {
        Name: 'leads',
        TableType: 'EXTERNAL_TABLE',
        Parameters: {
          classification: 'parquet',
          'projection.enabled': 'true',
          'projection.month.type': 'date',
          'projection.month.format': 'yyyy-MM',
          'projection.month.range': '2000-01,NOW',
          'projection.month.interval': '1',
          'projection.month.interval.unit': 'MONTHS',
          'storage.location.template': { 'Fn::Join': ['', ['s3://', bucket, '/snapshots/leads/month=${month}/']] },
        },
        PartitionKeys: [{ Name: 'month', Type: 'string', Comment: 'YYYY-MM: the local month of the primary date' }],
        StorageDescriptor: {
          Location: { 'Fn::Join': ['', ['s3://', bucket, '/snapshots/leads/']] },
          InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
          OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
          SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
          Columns: [
            { Name: 'lead_id', Type: 'string' }, { Name: 'created_at', Type: 'string' }, { Name: 'source', Type: 'string' },
            { Name: 'campaign', Type: 'string' }, { Name: 'mql_at', Type: 'string' }, { Name: 'sql_at', Type: 'string' },
            { Name: 'sql_status', Type: 'string' }, { Name: 'customer_at', Type: 'string' }, { Name: 'owner', Type: 'string' },
            { Name: 'region', Type: 'string' }, { Name: 'marketing_sourced', Type: 'boolean' },
            { Name: 'created_date', Type: 'date' }, { Name: 'mql_date', Type: 'date' }, { Name: 'sql_date', Type: 'date' },
            { Name: 'customer_date', Type: 'date' }, { Name: 'upload_id', Type: 'string' }, { Name: 'record_order', Type: 'double' },
          ],
        },
      },
    });
  });

  it('money as bigint minor units, a deal\'s dates as dates', () => {
    const opps = Object.values(template.findResources('AWS::Glue::Table') as Record<string, Json>).find((t) => t.Properties.TableInput.Name === 'opportunities')!;
    const columns = Object.fromEntries(opps.Properties.TableInput.StorageDescriptor.Columns.map((c: Json) => [c.Name, c.Type]));
    expect(columns).toMatchObject({ amount_minor: 'bigint', created_date: 'date', closed_date: 'date', status: 'string' });
  });

  it('an Athena workgroup whose results go to athena-results/ in the bucket, encrypted, its settings enforced', () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'smarketing-scorecard',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        ResultConfiguration: {
          OutputLocation: { 'Fn::Join': ['', ['s3://', bucket, '/athena-results/']] },
          EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
        },
      },
    });
  });
});
