/*
 * Test helper: builds a seccomp filter the way runc does (libseccomp: default action, architectures, one rule per
 * syscall name, unknown names skipped) from a line format on stdin, exports it with seccomp_export_bpf and prints
 * the program's size in bytes. Lines: "default errno|allow", "arch <name>", "allow <syscall>",
 * "allow <syscall> <arg index> <eq|ne|lt|le|gt|ge|masked_eq> <value> [<mask value>]".
 */
#include <errno.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(const char *what, const char *line) {
  fprintf(stderr, "seccomp-bpf-size: %s: %s\n", what, line);
  return 2;
}

static int compare_op(const char *name, enum scmp_compare *op) {
  static const struct { const char *name; enum scmp_compare op; } ops[] = {
      {"ne", SCMP_CMP_NE}, {"lt", SCMP_CMP_LT}, {"le", SCMP_CMP_LE}, {"eq", SCMP_CMP_EQ},
      {"ge", SCMP_CMP_GE}, {"gt", SCMP_CMP_GT}, {"masked_eq", SCMP_CMP_MASKED_EQ}};
  for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
    if (strcmp(name, ops[i].name) == 0) {
      *op = ops[i].op;
      return 0;
    }
  return -1;
}

int main(void) {
  char line[512];
  scmp_filter_ctx ctx = NULL;
  int rules = 0, skipped = 0;
  while (fgets(line, sizeof line, stdin) != NULL) {
    line[strcspn(line, "\n")] = '\0';
    char word[64] = "", name[64] = "", opname[16] = "";
    unsigned arg = 0;
    unsigned long long value = 0, second = 0;
    int n = sscanf(line, "%63s %63s %u %15s %llu %llu", word, name, &arg, opname, &value, &second);
    if (n < 2) continue;
    if (strcmp(word, "default") == 0) {
      ctx = seccomp_init(strcmp(name, "errno") == 0 ? SCMP_ACT_ERRNO(EPERM) : SCMP_ACT_ALLOW);
      if (ctx == NULL) return fail("seccomp_init failed", line);
      /* runc leaves the native architecture in and adds the others. */
    } else if (ctx == NULL) {
      return fail("the first line must be `default ...`", line);
    } else if (strcmp(word, "arch") == 0) {
      uint32_t a = seccomp_arch_resolve_name(name);
      if (a == 0) return fail("unknown architecture", line);
      int rc = seccomp_arch_add(ctx, a);
      if (rc != 0 && rc != -EEXIST) return fail("seccomp_arch_add failed", line);
    } else if (strcmp(word, "allow") == 0) {
      int nr = seccomp_syscall_resolve_name(name);
      if (nr == __NR_SCMP_ERROR) {
        skipped++;
        continue;
      }
      int rc;
      if (n >= 5) {
        enum scmp_compare op;
        if (compare_op(opname, &op) != 0) return fail("unknown comparison", line);
        struct scmp_arg_cmp cmp = {arg, op, value, op == SCMP_CMP_MASKED_EQ ? second : 0};
        if (op == SCMP_CMP_MASKED_EQ) {
          cmp.datum_a = value;
          cmp.datum_b = second;
        }
        rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, 1, &cmp);
      } else {
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
      }
      if (rc != 0) return fail("seccomp_rule_add failed", line);
      rules++;
    } else {
      return fail("unknown line", line);
    }
  }
  if (ctx == NULL) return fail("no `default` line", "(end of input)");
  char path[] = "/tmp/seccomp-bpf-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return fail("mkstemp failed", path);
  unlink(path);
  if (seccomp_export_bpf(ctx, fd) != 0) return fail("seccomp_export_bpf failed", "");
  struct stat st;
  if (fstat(fd, &st) != 0) return fail("fstat failed", "");
  printf("%lld %d %d\n", (long long)st.st_size, rules, skipped);
  seccomp_release(ctx);
  return 0;
}
