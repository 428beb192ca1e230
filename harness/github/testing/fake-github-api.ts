// A local HTTP server standing in for GitHub's REST API in tests: issues, comments, gists, faults, and a request log.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the fake received, as sent. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  body: unknown;
}

/** A canned failure: answers requests that match with this status, headers and body, `times` times. */
export interface FakeFault {
  method?: string;
  /** Matched against the request path (without the query). */
  path?: RegExp;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  times?: number;
}

/** A comment the fake holds. */
export interface FakeComment {
  id: number;
  body: string;
  user: { login: string };
}

/** An issue the fake holds, with its comments. */
export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  comments: FakeComment[];
  user: { login: string };
  /** Set for pull requests, which GitHub lists among issues. */
  pullRequest?: boolean;
  stateReason?: string;
}

/** A gist the fake holds. */
export interface FakeGist {
  id: string;
  public: boolean;
  description: string;
  files: Record<string, { content: string }>;
}

/** How the fake is set up: who may do what where. */
export interface FakeGithubOptions {
  /** The only token accepted; anything else answers 401 Bad credentials. */
  token: string;
  /** Repositories (`owner/repo`) that exist and the token can see; others answer 404. */
  repositories: string[];
  /** Whether the token may write issues and comments (else 403 with x-accepted-github-permissions). */
  canWriteIssues?: boolean;
  /** Whether the token may create gists (else 403). */
  canWriteGists?: boolean;
  /** Login the fake attributes writes to. */
  login?: string;
  /** Page size cap, like GitHub's 100. */
  maxPerPage?: number;
}

/** GitHub's limit on an issue or comment body, in characters. */
export const fakeBodyLimit = 65_536;

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
};

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text === "" ? undefined : (JSON.parse(text) as unknown);
}

/** A running fake GitHub API on 127.0.0.1; `url` is what Octokit's baseUrl / `--api-url` points at. */
export class FakeGithubApi {
  readonly requests: RecordedRequest[] = [];
  readonly issues = new Map<string, FakeIssue>();
  readonly gists: FakeGist[] = [];
  readonly faults: FakeFault[] = [];
  readonly options: Required<FakeGithubOptions>;
  private server: Server | undefined;
  private nextId = 1000;
  url = "";

  constructor(options: FakeGithubOptions) {
    this.options = {
      canWriteIssues: true,
      canWriteGists: true,
      login: "harness-bot",
      maxPerPage: 100,
      ...options,
    };
  }

  /** Starts listening on an ephemeral port of 127.0.0.1. */
  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => json(res, 500, { message: String(err) }));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  /** Stops the server. */
  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Adds an issue to a repository (which must be one of `repositories`). */
  addIssue(repo: string, issue: Partial<FakeIssue> & { number: number }): FakeIssue {
    const full: FakeIssue = {
      title: `issue ${issue.number}`,
      body: "",
      state: "open",
      comments: [],
      user: { login: "someone" },
      ...issue,
    };
    this.issues.set(`${repo}#${issue.number}`, full);
    return full;
  }

  /** Issues of one repository, in number order. */
  issuesOf(repo: string): FakeIssue[] {
    return [...this.issues.entries()]
      .filter(([key]) => key.startsWith(`${repo}#`))
      .map(([, issue]) => issue)
      .sort((a, b) => a.number - b.number);
  }

  private id(): number {
    this.nextId += 1;
    return this.nextId;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "GET";
    const body = await readBody(req);
    this.requests.push({
      method,
      path: url.pathname,
      query: url.searchParams,
      authorization: req.headers.authorization,
      body,
    });

    const fault = this.faults.find(
      (f) =>
        (f.method === undefined || f.method === method) &&
        (f.path === undefined || f.path.test(url.pathname)),
    );
    if (fault) {
      if (fault.times !== undefined) {
        fault.times -= 1;
        if (fault.times <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
      }
      return json(res, fault.status, fault.body ?? { message: `fault ${fault.status}` }, fault.headers);
    }

    const token = /^(?:token|bearer) (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
    if (token !== this.options.token)
      return json(res, 401, {
        message: "Bad credentials",
        documentation_url: "https://docs.github.com/rest",
      });

    if (method === "POST" && url.pathname === "/gists") return this.createGist(res, body);

    const repoMatch = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(url.pathname);
    const repo = repoMatch ? `${repoMatch[1]}/${repoMatch[2]}` : undefined;
    if (repo === undefined || !this.options.repositories.includes(repo))
      return json(res, 404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
    const rest = repoMatch?.[3] ?? "";
    const isWrite = method !== "GET";
    if (isWrite && !this.options.canWriteIssues)
      return json(
        res,
        403,
        { message: "Resource not accessible by personal access token" },
        { "x-accepted-github-permissions": "issues=write; pull_requests=write" },
      );

    let m: RegExpExecArray | null;
    if ((m = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
      const issue = this.issues.get(`${repo}#${m[1]}`);
      if (!issue) return json(res, 404, { message: "Not Found" });
      if (method === "GET") return this.page(res, url, issue.comments);
      if (method === "POST") {
        const text = (body as { body?: string } | undefined)?.body ?? "";
        if (text.length > fakeBodyLimit) return this.tooLong(res, "IssueComment");
        const comment = { id: this.id(), body: text, user: { login: this.options.login } };
        issue.comments.push(comment);
        return json(res, 201, {
          ...comment,
          html_url: `https://github.test/${repo}/issues/${m[1]}#issuecomment-${comment.id}`,
        });
      }
    }
    if ((m = /^\/issues\/comments\/(\d+)$/.exec(rest)) && method === "PATCH") {
      const id = Number(m[1]);
      const found = this.issuesOf(repo)
        .flatMap((i) => i.comments.map((c) => ({ i, c })))
        .find((x) => x.c.id === id);
      if (!found) return json(res, 404, { message: "Not Found" });
      const text = (body as { body?: string } | undefined)?.body ?? "";
      if (text.length > fakeBodyLimit) return this.tooLong(res, "IssueComment");
      found.c.body = text;
      return json(res, 200, {
        ...found.c,
        html_url: `https://github.test/${repo}/issues/${found.i.number}#issuecomment-${id}`,
      });
    }
    if (rest === "/issues" && method === "GET") {
      const state = url.searchParams.get("state") ?? "open";
      const list = this.issuesOf(repo).filter((i) => state === "all" || i.state === state);
      return this.page(
        res,
        url,
        list.map((i) => this.issueJson(repo, i)),
      );
    }
    if (rest === "/issues" && method === "POST") {
      const { title = "", body: text = "" } = (body ?? {}) as { title?: string; body?: string };
      if (text.length > fakeBodyLimit) return this.tooLong(res, "Issue");
      const number = Math.max(0, ...this.issuesOf(repo).map((i) => i.number)) + 1;
      const issue = this.addIssue(repo, { number, title, body: text, user: { login: this.options.login } });
      return json(res, 201, this.issueJson(repo, issue));
    }
    if ((m = /^\/issues\/(\d+)$/.exec(rest))) {
      const issue = this.issues.get(`${repo}#${m[1]}`);
      if (!issue) return json(res, 404, { message: "Not Found" });
      if (method === "GET") return json(res, 200, this.issueJson(repo, issue));
      if (method === "PATCH") {
        const patch = (body ?? {}) as Partial<Pick<FakeIssue, "title" | "body" | "state">> & {
          state_reason?: string;
        };
        if ((patch.body ?? "").length > fakeBodyLimit) return this.tooLong(res, "Issue");
        if (patch.title !== undefined) issue.title = patch.title;
        if (patch.body !== undefined) issue.body = patch.body;
        if (patch.state !== undefined) issue.state = patch.state;
        if (patch.state_reason !== undefined) issue.stateReason = patch.state_reason;
        return json(res, 200, this.issueJson(repo, issue));
      }
    }
    return json(res, 404, { message: "Not Found" });
  }

  private issueJson(repo: string, issue: FakeIssue) {
    const { comments, pullRequest, stateReason, ...rest } = issue;
    const url = `https://github.test/${repo}/${pullRequest ? "pull" : "issues"}/${issue.number}`;
    return {
      ...rest,
      state_reason: stateReason ?? null,
      comments: comments.length,
      html_url: url,
      ...(pullRequest ? { pull_request: { html_url: url } } : {}),
    };
  }

  private createGist(res: ServerResponse, body: unknown): void {
    if (!this.options.canWriteGists)
      return json(
        res,
        403,
        { message: "Resource not accessible by personal access token" },
        {
          "x-accepted-github-permissions": "gists=write",
        },
      );
    const { description = "", files = {}, public: isPublic = false } = (body ?? {}) as Partial<FakeGist>;
    const gist: FakeGist = { id: `g${this.id()}`, description, files, public: isPublic };
    this.gists.push(gist);
    json(res, 201, { ...gist, html_url: `https://gist.github.test/${gist.id}` });
  }

  private tooLong(res: ServerResponse, resource: string): void {
    json(res, 422, {
      message: "Validation Failed",
      errors: [
        {
          resource,
          code: "unprocessable",
          field: "data",
          message: `Body is too long (maximum is ${fakeBodyLimit} characters)`,
        },
      ],
    });
  }

  private page<T>(res: ServerResponse, url: URL, items: T[]): void {
    const perPage = Math.min(Number(url.searchParams.get("per_page") ?? 30), this.options.maxPerPage);
    const page = Number(url.searchParams.get("page") ?? 1);
    const slice = items.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = {};
    if (page * perPage < items.length) {
      const next = new URL(url.toString().replace("http://127.0.0.1", this.url));
      next.searchParams.set("page", String(page + 1));
      next.searchParams.set("per_page", String(perPage));
      headers.link = `<${next.toString()}>; rel="next"`;
    }
    json(res, 200, slice, headers);
  }
}
