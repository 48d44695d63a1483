import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { HTML_REPORT_PREFIX } from '../contract/names';
import type { SweepReport } from '../core/report';
import { renderHtml } from '../report/render-html';

/**
 * htmlReport: the run's page (render-html.ts) in the stack's bucket, one object a run under
 * `reports/<year>/<month>/<day>/`, private like the bucket; the digest names its S3 URI.
 */

export interface HtmlReportStore {
  readonly client: S3Client;
  readonly bucket: string;
}

/** `reports/2026/12/04/2026-12-04T03-00-00.123Z-remediate.html`: sorted by time, one a run. */
export function htmlReportKey(report: Pick<SweepReport, 'startedAt' | 'mode'>): string {
  const [year, month, day] = report.startedAt.slice(0, 10).split('-');
  return `${HTML_REPORT_PREFIX}${year}/${month}/${day}/${report.startedAt.replace(/:/g, '-')}-${report.mode}.html`;
}

/** Writes the page; returns its S3 URI. */
export async function putHtmlReport(store: HtmlReportStore, report: SweepReport): Promise<string> {
  const key = htmlReportKey(report);
  await store.client.send(
    new PutObjectCommand({
      Bucket: store.bucket,
      Key: key,
      Body: renderHtml(report),
      ContentType: 'text/html; charset=utf-8',
    }),
  );
  return `s3://${store.bucket}/${key}`;
}
