// Removes secrets (GitHub and AWS tokens, bearer credentials, private keys, kubeadm join tokens) from text the
// harness writes or posts.

/** What a redacted secret is replaced with; says which kind of secret was there. */
export function redactionLabel(kind: string): string {
  return `[REDACTED ${kind}]`;
}

interface SecretPattern {
  kind: string;
  pattern: RegExp;
  /** Keeps this capture group (a prefix such as `Bearer `) and replaces the rest. */
  keepGroup?: number;
}

/** Token shapes documented by GitHub and AWS, and generic credential syntaxes. */
const secretPatterns: SecretPattern[] = [
  {
    kind: "private key",
    pattern:
      /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----[\s\S]*?(?:-----END \1-----|$(?![\s\S]))/g,
  },
  { kind: "GitHub token", pattern: /\bgithub_pat_[A-Za-z0-9_]{20,}/g },
  { kind: "GitHub token", pattern: /\bgh[pousr]_[A-Za-z0-9]{20,}/g },
  { kind: "AWS access key", pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g },
  {
    kind: "AWS secret key",
    pattern: /((?:aws_?secret_?access_?key|secretaccesskey)["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{40}/gi,
    keepGroup: 1,
  },
  {
    kind: "credential",
    pattern: /(\bauthorization["']?\s*[:=]\s*["']?(?:(?:token|basic|bearer)\s+)?)[^\s"',;[]{8,}/gi,
    keepGroup: 1,
  },
  { kind: "credential", pattern: /(\b[Bb]earer\s+)[A-Za-z0-9._~+/=-]{8,}/g, keepGroup: 1 },
  { kind: "credential", pattern: /(\/\/[^/\s:@]+:)[^/\s@]+(?=@)/g, keepGroup: 1 },
  // kubeadm's bootstrap token (`[a-z0-9]{6}.[a-z0-9]{16}`) where kubeadm prints or reads one: `kubeadm join ...
  // --token <t>` and the `token:` of its config files; the bare shape alone also matches event names.
  {
    kind: "kubeadm token",
    pattern: /(--(?:discovery-|tls-bootstrap-)?token[= ]+|\btoken:[ \t]*["']?)[a-z0-9]{6}\.[a-z0-9]{16}\b/g,
    keepGroup: 1,
  },
  { kind: "kubeadm certificate key", pattern: /(--certificate-key[= ]+)[a-f0-9]{64}\b/g, keepGroup: 1 },
];

/**
 * A known secret as it may appear in text: as written, URL-encoded, and in base64 (standard and URL-safe) at each
 * of the three byte alignments it can have inside a longer base64 stream (an `Authorization: Basic` header, a
 * docker config's `auth`), keeping only the characters that depend on the secret's bytes alone.
 */
export function encodedForms(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  const forms = new Set([secret, encodeURIComponent(secret)]);
  for (let offset = 0; offset < 3; offset++) {
    const stream = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64");
    // Character i holds bits 6i..6i+5 of the stream: it depends on the secret alone when they lie within it.
    const first = Math.ceil((8 * offset) / 6);
    const last = Math.floor((8 * (offset + bytes.length) - 6) / 6);
    const core = stream.slice(first, last + 1);
    if (core.length >= 16) {
      forms.add(core);
      forms.add(core.replace(/\+/g, "-").replace(/\//g, "_"));
    }
  }
  return [...forms];
}

/**
 * Replaces every secret in `text`: the `knownSecrets` (e.g. the token in use), as written or encoded (see
 * encodedForms), and anything shaped like
 * a GitHub token, AWS key, `Bearer` or `Authorization:` credential, password in a URL, private key block, or a
 * kubeadm bootstrap token or certificate key given as a flag or config value.
 */
export function redactSecrets(text: string, knownSecrets: readonly string[] = []): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (secret.length < 4) continue;
    for (const form of encodedForms(secret)) out = out.split(form).join(redactionLabel("secret"));
  }
  for (const { kind, pattern, keepGroup } of secretPatterns) {
    out = out.replace(pattern, (...match: unknown[]) => {
      const group = keepGroup === undefined ? undefined : match[keepGroup];
      return `${typeof group === "string" ? group : ""}${redactionLabel(kind)}`;
    });
  }
  return out;
}
