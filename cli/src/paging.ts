/**
 * Every item of a paged list: asks for the next page until the server says there is none (every
 * list RPC is paged: at most 1000 items a page, 100 when page_size is not given).
 */
export async function allPages<T>(
  page: (pageToken: string) => Promise<[items: T[], nextPageToken: string]>,
): Promise<T[]> {
  const items: T[] = [];
  let pageToken = '';
  do {
    const [more, next] = await page(pageToken);
    items.push(...more);
    pageToken = next;
  } while (pageToken);
  return items;
}

/** Page size the CLI asks for: the largest a server gives, so a listing takes few round trips. */
export const CLI_PAGE_SIZE = 1000;
