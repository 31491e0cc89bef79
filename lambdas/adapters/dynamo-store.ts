/** The table's three adapters, built together for a handler, the local run and the tests. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoUploadLedger } from './dynamo-upload-ledger.ts';
import { DynamoKpiStore } from './dynamo-kpi-store.ts';
import { DynamoSendLedger } from './dynamo-send-ledger.ts';

export interface TableAdapters {
  readonly uploads: DynamoUploadLedger;
  readonly kpis: DynamoKpiStore;
  readonly sends: DynamoSendLedger;
}

export function createTableAdapters(db: DynamoDBDocumentClient, table: string): TableAdapters {
  return { uploads: new DynamoUploadLedger(db, table), kpis: new DynamoKpiStore(db, table), sends: new DynamoSendLedger(db, table) };
}
