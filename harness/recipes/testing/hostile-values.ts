// Test and benchmark support: what an attacker puts in a scenario field, each carrying a canary word that must
// never reach a guest's shell as code.

/** The word every hostile value carries. */
export const hostileCanary = "harness-canary";

/** Ends of heredocs, quotes, substitutions, unit directives, YAML keys, systemd specifiers, line continuations. */
export const hostileValues = [
  `x\nUNIT\ntouch /tmp/${hostileCanary}`,
  `x\nYAML\ntouch /tmp/${hostileCanary}`,
  `x\nJSON\ntouch /tmp/${hostileCanary}`,
  `x'; touch /tmp/${hostileCanary}; echo '`,
  `x"; touch /tmp/${hostileCanary}; echo "`,
  `$(touch /tmp/${hostileCanary})`,
  `\`touch /tmp/${hostileCanary}\``,
  `x\n[Service]\nExecStartPre=/bin/${hostileCanary}`,
  `x\n${hostileCanary}: injected\n`,
  `%h $MAINPID ${hostileCanary}`,
  `x\\\n${hostileCanary}`,
  `x # ${hostileCanary}`,
];
