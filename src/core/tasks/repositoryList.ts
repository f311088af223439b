// The repositories "New Agent Task" offers to attach: every page of the organization's list (the API pages it, at
// most 100 a request), up to a cap said in the picker.
import type { CodegenClient, Page, Repository } from '../api/codegenClient';
import { NotFoundError } from '../errors';

/** Most repositories one request asks for (the API's limit). */
const PAGE_LIMIT = 100;
/** Most repositories the picker lists (10 requests); the picker says when the organization has more. */
export const MAX_REPOSITORIES = 1000;

export interface RepositoryList {
  /** In the server's order, each once. */
  readonly repos: readonly Repository[];
  /** How many the server says the organization has. */
  readonly total: number;
  /** False when the cap (or a server that stopped sending) left some out. */
  readonly complete: boolean;
}

/**
 * Loads the organization's repositories page by page until the server's total, an empty page or `max`. The next page
 * starts after what the server sent (an unreadable repository counts, as for runs); one listed twice (the list
 * shifted between pages) is kept once. Cancelled through `signal` like any request. The API's 404 for an organization
 * without repositories (NoReposFoundInOrgErrorResponse) ends the list there, complete — empty on the first page; any
 * other 404 (no such organization) is the error it is.
 */
export async function loadRepositories(client: Pick<CodegenClient, 'listRepos'>, signal?: AbortSignal, max = MAX_REPOSITORIES): Promise<RepositoryList> {
  const repos: Repository[] = [];
  const ids = new Set<number>();
  let skip = 0;
  let total = 0;
  while (skip < max) {
    let page: Page<Repository>;
    try {
      page = await client.listRepos({ skip, limit: Math.min(PAGE_LIMIT, max - skip) }, signal);
    } catch (err) {
      if (err instanceof NotFoundError && err.noRepositories) return { repos, total: repos.length, complete: true };
      throw err;
    }
    const received = page.received ?? page.items.length;
    skip += received;
    total = page.total;
    for (const r of page.items) {
      if (ids.has(r.id)) continue;
      ids.add(r.id);
      repos.push(r);
    }
    if (received === 0 || skip >= total) return { repos, total, complete: skip >= total };
  }
  return { repos, total, complete: skip >= total };
}

/** The repository picker's placeholder: says when not every repository is listed. */
export function repositoryPickerHint(list: RepositoryList): string {
  if (list.complete) return `${list.repos.length} ${list.repos.length === 1 ? 'repository' : 'repositories'}; type to filter`;
  return `The first ${list.repos.length} of ${list.total} repositories; type to filter`;
}
