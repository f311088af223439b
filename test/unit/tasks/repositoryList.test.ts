import assert from 'node:assert/strict';
import type { CodegenClient, Page, Repository } from '../../../src/core/api/codegenClient';
import { NotFoundError } from '../../../src/core/errors';
import { loadRepositories, MAX_REPOSITORIES, repositoryPickerHint } from '../../../src/core/tasks/repositoryList';
import { type Harness, startHarness } from '../api/codegenHarness';

describe('loadRepositories (the repositories New Agent Task offers, with the real client and contract server)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('lists every repository of an organization with more than one page of them, one request per 100', async () => {
    h = await startHarness({ server: { extraRepositories: 247, rateLimits: false } });
    const list = await h.run(loadRepositories(h.client));
    assert.equal(list.total, 250);
    assert.equal(list.repos.length, 250);
    assert.equal(new Set(list.repos.map((r) => r.id)).size, 250);
    assert.equal(list.repos.at(-1)?.fullName, 'sandbox-org/repo-346');
    assert.ok(list.complete);
    assert.equal(repositoryPickerHint(list), '250 repositories; type to filter');
    const asked = h.server.requests().filter((r) => r.path.endsWith('/repos'));
    assert.deepEqual(
      asked.map((r) => `${r.query['skip']}+${r.query['limit']}`),
      ['0+100', '100+100', '200+100'],
    );
  });

  it("an organization without repositories, answered with the API's 404 NoReposFoundInOrg, is an empty complete list; another 404 is an error", async () => {
    h = await startHarness({ server: { noReposNotFound: true, rateLimits: false } });
    h.settings.orgId = '1001'; // (a team of the user's, without repositories)
    const list = await h.run(loadRepositories(h.client));
    assert.deepEqual(list, { repos: [], total: 0, complete: true });
    assert.equal(repositoryPickerHint(list), '0 repositories; type to filter');
    assert.deepEqual(
      h.server.requests().filter((r) => r.path.endsWith('/repos')).map((r) => `${r.path} ${r.status}`),
      ['/v1/organizations/1001/repos 404'],
    );
    h.server.addFault({ path: '/repos$', method: 'GET', kind: '404', times: 1 });
    await assert.rejects(h.run(loadRepositories(h.client)), NotFoundError);
  });

  it('stops at the cap and the picker says how many of how many it lists', async () => {
    h = await startHarness({ server: { extraRepositories: 247, rateLimits: false } });
    const list = await h.run(loadRepositories(h.client, undefined, 150));
    assert.equal(list.repos.length, 150);
    assert.equal(list.complete, false);
    assert.equal(repositoryPickerHint(list), 'The first 150 of 250 repositories; type to filter');
    assert.ok(MAX_REPOSITORIES >= 1000);
  });
});

describe('loadRepositories (paging rules, with a fake client)', () => {
  const repo = (id: number): Repository => ({ id, name: `r${id}`, fullName: `o/r${id}` });

  it('starts the next page after what the server sent (unreadable ones too), keeps a repository listed twice once, and ends on an empty page', async () => {
    const asked: string[] = [];
    const pages: Page<Repository>[] = [
      // 100 sent, 2 unreadable (left out by the client)
      { items: Array.from({ length: 98 }, (_, i) => repo(i + 1)), received: 100, total: 230, page: 1, size: 100, pages: 3 },
      // the list shifted by one: repository 98 again
      { items: [repo(98), repo(200)], received: 2, total: 230, page: 2, size: 100, pages: 3 },
      { items: [], received: 0, total: 230, page: 3, size: 100, pages: 3 },
    ];
    const client: Pick<CodegenClient, 'listRepos'> = {
      listRepos: async (page) => {
        asked.push(`${page?.skip}+${page?.limit}`);
        const next = pages.shift();
        assert.ok(next);
        return next;
      },
    };
    const list = await loadRepositories(client);
    assert.deepEqual(asked, ['0+100', '100+100', '102+100']);
    assert.equal(list.repos.length, 99);
    assert.equal(list.complete, false, 'the server stopped before its total');
  });
});
