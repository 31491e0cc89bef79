/**
 * `PageStore` over the bucket: the drill-down page and CSV of each period under `web/<period>/`. The bucket is
 * private; the viewer function reads the files and serves them only for a signed link.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { pageKey, type PageFile } from '../domain/layout.ts';
import type { PageStore } from '../ports/index.ts';

const CONTENT_TYPE: Readonly<Record<PageFile, string>> = { 'index.html': 'text/html; charset=utf-8', 'scorecard.csv': 'text/csv; charset=utf-8' };

/** S3 said there is no such object (it says so only to a caller allowed to list the bucket; else AccessDenied, which fails). */
const isMissing = (e: unknown): boolean => {
  const err = e as { name?: unknown; $metadata?: { httpStatusCode?: number } } | null;
  return err?.name === 'NoSuchKey' || (err?.name !== 'NoSuchBucket' && err?.$metadata?.httpStatusCode === 404);
};

export class S3PageStore implements PageStore {
  constructor(private readonly s3: S3Client, private readonly bucket: string) {}

  async put(periodId: string, file: PageFile, body: string): Promise<void> {
    await this.s3.send(new PutObjectCommand({
      Bucket: this.bucket, Key: pageKey(periodId, file), Body: body, ContentType: CONTENT_TYPE[file], CacheControl: 'private, no-store',
    }));
  }

  async get(periodId: string, file: PageFile): Promise<string | undefined> {
    try {
      const r = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: pageKey(periodId, file) }));
      return r.Body ? await r.Body.transformToString('utf8') : '';
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw e;
    }
  }
}

/** `PageStore` in memory (tests). */
export class InMemoryPageStore implements PageStore {
  readonly files = new Map<string, string>();

  async put(periodId: string, file: PageFile, body: string): Promise<void> {
    this.files.set(pageKey(periodId, file), body);
  }

  async get(periodId: string, file: PageFile): Promise<string | undefined> {
    return this.files.get(pageKey(periodId, file));
  }
}
