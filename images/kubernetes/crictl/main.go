// Command crictl is a small stand-in for cri-tools' crictl, for the VM test
// harness. cri-tools is not packaged in Debian, and kubeadm 1.20 wants a
// crictl on PATH: preflight checks for it and runs `crictl -r <socket> info`,
// `inspecti <image>` and `pull <image>`; reset runs `pods -q`, `stopp <id>`
// and `rmp <id>`.
//
// It speaks CRI v1alpha2 over gRPC on a unix socket, using the client
// vendored in the Kubernetes tree, and covers: version, info, pods, ps,
// images, inspect, inspectp, inspecti, pull, stopp, rmp, stop, rm, exec
// (ExecSync only, no tty or stdin) and logs (reads the CRI log file).
// Flag names, defaults and output follow crictl where kubeadm or a reader
// depends on them. Flags may come before or after the subcommand.
//
// It is built inside the Kubernetes v1.20.2 source tree as
// cmd/harness-crictl, with -mod=vendor and nothing beyond vendor/:
//
//	go build -trimpath -ldflags '-s -w' -o crictl ./cmd/harness-crictl
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/ioutil"
	"net"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	units "github.com/docker/go-units"
	"github.com/golang/protobuf/jsonpb"
	"google.golang.org/grpc"
	pb "k8s.io/cri-api/pkg/apis/runtime/v1alpha2"
)

const (
	toolVersion     = "v1.20.0-harness"
	defaultEndpoint = "unix:///run/containerd/containerd.sock"
	defaultConfig   = "/etc/crictl.yaml"
	defaultTimeout  = 10 * time.Second
	truncatedIDLen  = 13
)

// flagDef is one flag; key is where its value is stored (distinct from the
// name so that e.g. `stop --timeout` does not clash with the global one).
type flagDef struct {
	key, short, long string
	value            bool // takes a value (otherwise boolean)
	help             string
}

var globalFlags = []flagDef{
	{"runtime-endpoint", "r", "runtime-endpoint", true, "CRI runtime endpoint (unix:///path or /path)"},
	{"image-endpoint", "i", "image-endpoint", true, "CRI image endpoint (defaults to the runtime endpoint)"},
	{"timeout", "t", "timeout", true, "timeout for connecting and queries, e.g. 2s (default 10s)"},
	{"config", "c", "config", true, "config file (default /etc/crictl.yaml)"},
	{"debug", "D", "debug", false, "accepted and ignored"},
	{"help", "h", "help", false, "show help"},
	{"version", "v", "version", false, "print the version"},
}

// command is one subcommand; rawArgs means everything after the first
// positional argument is passed through untouched (exec's command line).
type command struct {
	name    string
	aliases []string
	usage   string
	flags   []flagDef
	rawArgs bool
	run     func(c *cli) error
}

var (
	outputFlag  = flagDef{"output", "o", "output", true, "output format: json or table"}
	quietFlag   = flagDef{"quiet", "q", "quiet", false, "only print IDs"}
	noTruncFlag = flagDef{"no-trunc", "", "no-trunc", false, "do not truncate output"}
	labelFlag   = flagDef{"label", "", "label", true, "filter by key=value label (repeatable)"}
	idFlag      = flagDef{"id", "", "id", true, "filter by ID"}
)

// commands is the subcommand table, in help order.
var commands = []*command{
	{name: "version", usage: "version", run: cmdVersion},
	{name: "info", usage: "info [-o json]", flags: []flagDef{outputFlag}, run: cmdInfo},
	{name: "pods", usage: "pods [-q] [--state ready|notready] [--name RE] [--namespace RE] [--label k=v] [--id ID] [-o json|table] [--no-trunc]",
		flags: []flagDef{quietFlag, outputFlag, noTruncFlag, labelFlag, idFlag,
			{"state", "s", "state", true, "ready or notready"},
			{"name", "", "name", true, "filter by pod name (regexp)"},
			{"namespace", "", "namespace", true, "filter by pod namespace (regexp)"}},
		run: cmdPods},
	{name: "ps", usage: "ps [-a] [-q] [--name RE] [--pod ID] [--state S] [--label k=v] [--id ID] [-o json|table] [--no-trunc]",
		flags: []flagDef{quietFlag, outputFlag, noTruncFlag, labelFlag, idFlag,
			{"all", "a", "all", false, "show all containers, not only running ones"},
			{"state", "s", "state", true, "created, running, exited or unknown"},
			{"name", "", "name", true, "filter by container name (regexp)"},
			{"pod", "p", "pod", true, "filter by pod sandbox ID"}},
		run: cmdPs},
	{name: "images", aliases: []string{"image", "img"}, usage: "images [-q] [--digests] [-o json|table] [--no-trunc] [IMAGE]",
		flags: []flagDef{quietFlag, outputFlag, noTruncFlag,
			{"digests", "", "digests", false, "show digests"}},
		run: cmdImages},
	{name: "inspect", usage: "inspect CONTAINER-ID...", flags: []flagDef{outputFlag}, run: cmdInspect},
	{name: "inspectp", usage: "inspectp POD-ID...", flags: []flagDef{outputFlag}, run: cmdInspectp},
	{name: "inspecti", usage: "inspecti IMAGE...", flags: []flagDef{outputFlag}, run: cmdInspecti},
	{name: "pull", usage: "pull [--creds USER[:PASS]] [--auth BASE64] IMAGE",
		flags: []flagDef{{"creds", "", "creds", true, "registry credentials USER[:PASS]"},
			{"auth", "", "auth", true, "base64 user:password"}},
		run: cmdPull},
	{name: "stopp", usage: "stopp POD-ID...", run: cmdStopp},
	{name: "rmp", usage: "rmp [-f] [-a] POD-ID...",
		flags: []flagDef{{"force", "f", "force", false, "stop the pod first"},
			{"all", "a", "all", false, "remove all pods"}},
		run: cmdRmp},
	{name: "stop", usage: "stop [-t SECONDS] CONTAINER-ID...",
		flags: []flagDef{{"stop-timeout", "t", "timeout", true, "seconds to wait before killing"}},
		run:   cmdStop},
	{name: "rm", usage: "rm [-f] [-a] CONTAINER-ID...",
		flags: []flagDef{{"force", "f", "force", false, "stop the container first"},
			{"all", "a", "all", false, "remove all containers"}},
		run: cmdRm},
	{name: "exec", usage: "exec [-s] [--timeout SECONDS] CONTAINER-ID COMMAND [ARG...]", rawArgs: true,
		flags: []flagDef{{"sync", "s", "sync", false, "accepted; exec is always synchronous"},
			{"exec-timeout", "", "timeout", true, "command timeout (seconds or duration)"},
			{"tty", "t", "tty", false, "not supported"},
			{"interactive", "i", "interactive", false, "not supported"}},
		run: cmdExec},
	{name: "logs", usage: "logs [--tail N] [-t] CONTAINER-ID",
		flags: []flagDef{{"tail", "", "tail", true, "number of lines from the end"},
			{"timestamps", "t", "timestamps", false, "show timestamps"},
			{"follow", "f", "follow", false, "not supported"}},
		run: cmdLogs},
}

// exitCode is returned to exit quietly with a given status (exec).
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

func main() {
	err := run(os.Args[1:])
	var code exitCode
	if errors.As(err, &code) {
		os.Exit(int(code))
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "crictl: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	c := &cli{set: map[string][]string{}}
	rest, err := parseFlags(args, globalFlags, c.set, true)
	if err != nil {
		return err
	}
	if c.bool("version") && len(rest) == 0 {
		fmt.Println("crictl version " + toolVersion)
		return nil
	}
	if len(rest) == 0 || rest[0] == "help" || c.bool("help") {
		if len(rest) > 1 && rest[0] == "help" {
			if cmd := findCommand(rest[1]); cmd != nil {
				fmt.Println("usage: crictl [global flags] " + cmd.usage)
				return nil
			}
		}
		usage(os.Stdout)
		if len(rest) == 0 && !c.bool("help") {
			return errors.New("no command given")
		}
		return nil
	}
	cmd := findCommand(rest[0])
	if cmd == nil {
		return fmt.Errorf("unknown command %q; supported: %s", rest[0], commandNames())
	}
	// Flags may follow the command too; its own flags shadow global ones
	// of the same name. For exec, flags end at the container ID.
	defs := append(append([]flagDef{}, cmd.flags...), globalFlags...)
	c.args, err = parseFlags(rest[1:], defs, c.set, cmd.rawArgs)
	if err != nil {
		return fmt.Errorf("%s: %v", cmd.name, err)
	}
	if c.bool("help") {
		fmt.Println("usage: crictl [global flags] " + cmd.usage)
		return nil
	}
	if err := c.configure(); err != nil {
		return err
	}
	defer c.close()
	return cmd.run(c)
}

func findCommand(name string) *command {
	for _, cmd := range commands {
		if cmd.name == name {
			return cmd
		}
		for _, a := range cmd.aliases {
			if a == name {
				return cmd
			}
		}
	}
	return nil
}

func commandNames() string {
	var names []string
	for _, cmd := range commands {
		names = append(names, cmd.name)
	}
	return strings.Join(names, ", ")
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: crictl [global flags] COMMAND [flags] [args]")
	fmt.Fprintln(w, "\nA minimal crictl (CRI v1alpha2) for the test harness.\n\nCommands:")
	for _, cmd := range commands {
		fmt.Fprintln(w, "  "+cmd.usage)
	}
	fmt.Fprintln(w, "\nGlobal flags (before or after the command):")
	for _, f := range globalFlags {
		fmt.Fprintf(w, "  -%s, --%-18s %s\n", f.short, f.long, f.help)
	}
}

// parseFlags reads flags from args into set; with stopAtArg it stops at
// the first positional argument and returns it and the rest unparsed.
func parseFlags(args []string, defs []flagDef, set map[string][]string, stopAtArg bool) ([]string, error) {
	var pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return append(pos, args[i+1:]...), nil
		case strings.HasPrefix(a, "--"):
			name, val := a[2:], ""
			eq := strings.IndexByte(name, '=')
			if eq >= 0 {
				name, val = name[:eq], name[eq+1:]
			}
			d := lookupFlag(defs, name, false)
			if d == nil {
				return nil, fmt.Errorf("unknown flag --%s", name)
			}
			if d.value && eq < 0 {
				if i+1 >= len(args) {
					return nil, fmt.Errorf("flag --%s needs a value", name)
				}
				i++
				val = args[i]
			} else if !d.value {
				if eq < 0 {
					val = "true"
				} else if _, err := strconv.ParseBool(val); err != nil {
					return nil, fmt.Errorf("flag --%s: bad boolean %q", name, val)
				}
			}
			set[d.key] = append(set[d.key], val)
		case len(a) > 1 && a[0] == '-':
			// -x, -x value, -xvalue, and grouped booleans such as -aq.
			for j := 1; j < len(a); j++ {
				d := lookupFlag(defs, a[j:j+1], true)
				if d == nil {
					return nil, fmt.Errorf("unknown flag -%s", a[j:j+1])
				}
				if !d.value {
					set[d.key] = append(set[d.key], "true")
					continue
				}
				val := a[j+1:]
				if val == "" {
					if i+1 >= len(args) {
						return nil, fmt.Errorf("flag -%s needs a value", a[j:j+1])
					}
					i++
					val = args[i]
				}
				set[d.key] = append(set[d.key], val)
				break
			}
		default:
			if stopAtArg {
				return append(pos, args[i:]...), nil
			}
			pos = append(pos, a)
		}
	}
	return pos, nil
}

func lookupFlag(defs []flagDef, name string, short bool) *flagDef {
	for i := range defs {
		if (short && defs[i].short == name) || (!short && defs[i].long == name) {
			return &defs[i]
		}
	}
	return nil
}

// cli holds parsed flags, arguments and lazily dialled connections.
type cli struct {
	set          map[string][]string
	args         []string
	runtimeEP    string
	imageEP      string
	timeout      time.Duration
	runtimeConn  *grpc.ClientConn
	imageConn    *grpc.ClientConn
	runtimeCache pb.RuntimeServiceClient
	imageCache   pb.ImageServiceClient
}

func (c *cli) str(key string) string {
	if v := c.set[key]; len(v) > 0 {
		return v[len(v)-1]
	}
	return ""
}

func (c *cli) bool(key string) bool {
	b, _ := strconv.ParseBool(c.str(key))
	return b
}

// configure resolves endpoints and timeout like crictl: flag, then
// environment, then config file, then default; the image endpoint falls
// back to the runtime endpoint.
func (c *cli) configure() error {
	path := c.str("config")
	if path == "" {
		path = os.Getenv("CRI_CONFIG_FILE")
	}
	explicit := path != ""
	if path == "" {
		path = defaultConfig
	}
	conf, err := readConfig(path)
	if err != nil && (explicit || !os.IsNotExist(err)) {
		return fmt.Errorf("read config %s: %v", path, err)
	}
	c.runtimeEP = first(c.str("runtime-endpoint"), os.Getenv("CONTAINER_RUNTIME_ENDPOINT"), conf["runtime-endpoint"], defaultEndpoint)
	c.imageEP = first(c.str("image-endpoint"), os.Getenv("IMAGE_SERVICE_ENDPOINT"), conf["image-endpoint"], c.runtimeEP)
	c.timeout = defaultTimeout
	if t := first(c.str("timeout"), conf["timeout"]); t != "" {
		d, err := parseDuration(t)
		if err != nil {
			return fmt.Errorf("bad timeout %q: %v", t, err)
		}
		if d > 0 {
			c.timeout = d
		}
	}
	return nil
}

func first(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// parseDuration accepts Go durations ("2s") and plain seconds ("2").
func parseDuration(s string) (time.Duration, error) {
	if n, err := strconv.ParseFloat(s, 64); err == nil {
		return time.Duration(n * float64(time.Second)), nil
	}
	return time.ParseDuration(s)
}

// readConfig reads the flat "key: value" lines of crictl.yaml.
func readConfig(path string) (map[string]string, error) {
	conf := map[string]string{}
	f, err := os.Open(path)
	if err != nil {
		return conf, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		colon := strings.IndexByte(line, ':')
		if colon < 0 {
			continue
		}
		val := strings.TrimSpace(line[colon+1:])
		if len(val) >= 2 && (val[0] == '"' || val[0] == '\'') && val[len(val)-1] == val[0] {
			val = val[1 : len(val)-1]
		} else if hash := strings.Index(val, " #"); hash >= 0 {
			val = strings.TrimSpace(val[:hash])
		}
		conf[strings.TrimSpace(line[:colon])] = val
	}
	return conf, sc.Err()
}

// socketPath turns unix:///path or /path into a socket path.
func socketPath(endpoint string) (string, error) {
	p := endpoint
	if strings.HasPrefix(p, "unix://") {
		p = strings.TrimPrefix(p, "unix://")
	} else if strings.Contains(p, "://") {
		return "", fmt.Errorf("endpoint %q: only unix sockets are supported", endpoint)
	}
	if p == "" {
		return "", fmt.Errorf("endpoint %q has no socket path", endpoint)
	}
	return p, nil
}

func (c *cli) dial(endpoint string) (*grpc.ClientConn, error) {
	path, err := socketPath(endpoint)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	conn, err := grpc.DialContext(ctx, path,
		grpc.WithInsecure(), grpc.WithBlock(), grpc.FailOnNonTempDialError(true),
		grpc.WithContextDialer(func(ctx context.Context, addr string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", addr)
		}),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(16*1024*1024)))
	if err != nil {
		return nil, fmt.Errorf("connect to %s (is the runtime running?): %v", endpoint, err)
	}
	return conn, nil
}

func (c *cli) runtime() (pb.RuntimeServiceClient, error) {
	if c.runtimeCache == nil {
		conn, err := c.dial(c.runtimeEP)
		if err != nil {
			return nil, err
		}
		c.runtimeConn, c.runtimeCache = conn, pb.NewRuntimeServiceClient(conn)
	}
	return c.runtimeCache, nil
}

func (c *cli) image() (pb.ImageServiceClient, error) {
	if c.imageCache == nil {
		conn := c.runtimeConn
		if conn == nil || c.imageEP != c.runtimeEP {
			var err error
			if conn, err = c.dial(c.imageEP); err != nil {
				return nil, err
			}
			c.imageConn = conn
		}
		c.imageCache = pb.NewImageServiceClient(conn)
	}
	return c.imageCache, nil
}

func (c *cli) close() {
	for _, conn := range []*grpc.ClientConn{c.runtimeConn, c.imageConn} {
		if conn != nil {
			conn.Close()
		}
	}
}

// ctx bounds a query by --timeout; mutating calls (pull, stop, remove)
// use context.Background() like crictl 1.20 did.
func (c *cli) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), c.timeout)
}

// needArgs checks the positional argument count.
func (c *cli) needArgs(what string) error {
	if len(c.args) == 0 {
		return fmt.Errorf("%s cannot be empty", what)
	}
	return nil
}

// ---- output helpers ----

// protoMessage is what jsonpb marshals (the gogo types satisfy it).
type protoMessage interface {
	Reset()
	String() string
	ProtoMessage()
}

// toJSON renders a CRI message as crictl does (camelCase, defaults shown).
func toJSON(m protoMessage) (string, error) {
	mr := jsonpb.Marshaler{EmitDefaults: true, Indent: "  "}
	return mr.MarshalToString(m)
}

func printJSON(m protoMessage) error {
	s, err := toJSON(m)
	if err != nil {
		return err
	}
	fmt.Println(s)
	return nil
}

// printStatusInfo prints {"status": ..., <info keys>...} as crictl does;
// info values that are JSON are inlined, others become strings.
func printStatusInfo(status string, info map[string]string) error {
	var buf bytes.Buffer
	buf.WriteString(`{"status":` + status)
	keys := make([]string, 0, len(info))
	for k := range info {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		kj, _ := json.Marshal(k)
		v := []byte(info[k])
		if !json.Valid(v) {
			v, _ = json.Marshal(info[k])
		}
		buf.WriteString("," + string(kj) + ":")
		buf.Write(v)
	}
	buf.WriteString("}")
	var out bytes.Buffer
	if err := json.Indent(&out, buf.Bytes(), "", "  "); err != nil {
		return err
	}
	fmt.Println(out.String())
	return nil
}

func checkOutput(c *cli, allowed ...string) (string, error) {
	o := c.str("output")
	if o == "" {
		return allowed[0], nil
	}
	for _, a := range allowed {
		if o == a {
			return o, nil
		}
	}
	return "", fmt.Errorf("unsupported output format %q (supported: %s)", o, strings.Join(allowed, ", "))
}

func newTable() *tabwriter.Writer {
	return tabwriter.NewWriter(os.Stdout, 20, 1, 3, ' ', 0)
}

func truncID(id, prefix string, noTrunc bool) string {
	if noTrunc {
		return id
	}
	id = strings.TrimPrefix(id, prefix)
	if len(id) > truncatedIDLen {
		id = id[:truncatedIDLen]
	}
	return id
}

func ago(nanos int64) string {
	return units.HumanDuration(time.Now().UTC().Sub(time.Unix(0, nanos))) + " ago"
}

func labelMap(vals []string) (map[string]string, error) {
	if len(vals) == 0 {
		return nil, nil
	}
	m := map[string]string{}
	for _, v := range vals {
		kv := strings.SplitN(v, "=", 2)
		if len(kv) != 2 {
			return nil, fmt.Errorf("incorrectly specified label: %s", v)
		}
		m[kv[0]] = kv[1]
	}
	return m, nil
}

// matcher compiles an optional regexp filter.
func matcher(pattern string) (func(string) bool, error) {
	if pattern == "" {
		return func(string) bool { return true }, nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, err
	}
	return re.MatchString, nil
}

// ---- commands ----

func cmdVersion(c *cli) error {
	rt, err := c.runtime()
	if err != nil {
		return err
	}
	ctx, cancel := c.ctx()
	defer cancel()
	r, err := rt.Version(ctx, &pb.VersionRequest{Version: "v1alpha2"})
	if err != nil {
		return fmt.Errorf("get version: %v", err)
	}
	fmt.Println("Version: ", r.Version)
	fmt.Println("RuntimeName: ", r.RuntimeName)
	fmt.Println("RuntimeVersion: ", r.RuntimeVersion)
	fmt.Println("RuntimeApiVersion: ", r.RuntimeApiVersion)
	return nil
}

// cmdInfo prints the runtime status; unlike crictl it fails when the
// runtime reports RuntimeReady false (kubeadm only looks at the exit code).
func cmdInfo(c *cli) error {
	if _, err := checkOutput(c, "json"); err != nil {
		return err
	}
	rt, err := c.runtime()
	if err != nil {
		return err
	}
	ctx, cancel := c.ctx()
	defer cancel()
	r, err := rt.Status(ctx, &pb.StatusRequest{Verbose: true})
	if err != nil {
		return fmt.Errorf("get runtime status: %v", err)
	}
	status, err := toJSON(r.GetStatus())
	if err != nil {
		return err
	}
	if err := printStatusInfo(status, r.Info); err != nil {
		return err
	}
	for _, cond := range r.GetStatus().GetConditions() {
		if cond.Type == pb.RuntimeReady {
			if !cond.Status {
				return fmt.Errorf("runtime is not ready: %s: %s", cond.Reason, cond.Message)
			}
			return nil
		}
	}
	return errors.New("runtime did not report a RuntimeReady condition")
}

func podState(s pb.PodSandboxState) string {
	switch s {
	case pb.PodSandboxState_SANDBOX_READY:
		return "Ready"
	case pb.PodSandboxState_SANDBOX_NOTREADY:
		return "NotReady"
	}
	return s.String()
}

func containerState(s pb.ContainerState) string {
	switch s {
	case pb.ContainerState_CONTAINER_CREATED:
		return "Created"
	case pb.ContainerState_CONTAINER_RUNNING:
		return "Running"
	case pb.ContainerState_CONTAINER_EXITED:
		return "Exited"
	case pb.ContainerState_CONTAINER_UNKNOWN:
		return "Unknown"
	}
	return s.String()
}

func listPods(c *cli, filter *pb.PodSandboxFilter) ([]*pb.PodSandbox, error) {
	rt, err := c.runtime()
	if err != nil {
		return nil, err
	}
	ctx, cancel := c.ctx()
	defer cancel()
	r, err := rt.ListPodSandbox(ctx, &pb.ListPodSandboxRequest{Filter: filter})
	if err != nil {
		return nil, fmt.Errorf("list pod sandboxes: %v", err)
	}
	return r.Items, nil
}

func cmdPods(c *cli) error {
	output, err := checkOutput(c, "table", "json")
	if err != nil {
		return err
	}
	filter := &pb.PodSandboxFilter{Id: c.str("id")}
	switch strings.ToLower(c.str("state")) {
	case "":
	case "ready":
		filter.State = &pb.PodSandboxStateValue{State: pb.PodSandboxState_SANDBOX_READY}
	case "notready":
		filter.State = &pb.PodSandboxStateValue{State: pb.PodSandboxState_SANDBOX_NOTREADY}
	default:
		return errors.New("--state should be ready or notready")
	}
	if filter.LabelSelector, err = labelMap(c.set["label"]); err != nil {
		return err
	}
	nameOK, err := matcher(c.str("name"))
	if err != nil {
		return fmt.Errorf("--name: %v", err)
	}
	nsOK, err := matcher(c.str("namespace"))
	if err != nil {
		return fmt.Errorf("--namespace: %v", err)
	}
	items, err := listPods(c, filter)
	if err != nil {
		return err
	}
	var pods []*pb.PodSandbox
	for _, p := range items {
		if nameOK(p.GetMetadata().GetName()) && nsOK(p.GetMetadata().GetNamespace()) {
			pods = append(pods, p)
		}
	}
	// Newest first, as crictl sorts.
	sort.SliceStable(pods, func(i, j int) bool { return pods[i].CreatedAt > pods[j].CreatedAt })
	if c.bool("quiet") {
		for _, p := range pods {
			fmt.Println(p.Id)
		}
		return nil
	}
	if output == "json" {
		return printJSON(&pb.ListPodSandboxResponse{Items: pods})
	}
	noTrunc := c.bool("no-trunc")
	w := newTable()
	fmt.Fprintln(w, "POD ID\tCREATED\tSTATE\tNAME\tNAMESPACE\tATTEMPT")
	for _, p := range pods {
		md := p.GetMetadata()
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%d\n", truncID(p.Id, "", noTrunc), ago(p.CreatedAt),
			podState(p.State), md.GetName(), md.GetNamespace(), md.GetAttempt())
	}
	return w.Flush()
}

func listContainers(c *cli, filter *pb.ContainerFilter) ([]*pb.Container, error) {
	rt, err := c.runtime()
	if err != nil {
		return nil, err
	}
	ctx, cancel := c.ctx()
	defer cancel()
	r, err := rt.ListContainers(ctx, &pb.ListContainersRequest{Filter: filter})
	if err != nil {
		return nil, fmt.Errorf("list containers: %v", err)
	}
	return r.Containers, nil
}

func cmdPs(c *cli) error {
	output, err := checkOutput(c, "table", "json")
	if err != nil {
		return err
	}
	filter := &pb.ContainerFilter{Id: c.str("id"), PodSandboxId: c.str("pod")}
	if st := strings.ToLower(c.str("state")); st != "" {
		v, ok := map[string]pb.ContainerState{
			"created": pb.ContainerState_CONTAINER_CREATED,
			"running": pb.ContainerState_CONTAINER_RUNNING,
			"exited":  pb.ContainerState_CONTAINER_EXITED,
			"unknown": pb.ContainerState_CONTAINER_UNKNOWN,
		}[st]
		if !ok {
			return fmt.Errorf("--state should be one of created, running, exited, unknown")
		}
		filter.State = &pb.ContainerStateValue{State: v}
	} else if !c.bool("all") {
		filter.State = &pb.ContainerStateValue{State: pb.ContainerState_CONTAINER_RUNNING}
	}
	if filter.LabelSelector, err = labelMap(c.set["label"]); err != nil {
		return err
	}
	nameOK, err := matcher(c.str("name"))
	if err != nil {
		return fmt.Errorf("--name: %v", err)
	}
	items, err := listContainers(c, filter)
	if err != nil {
		return err
	}
	var ctrs []*pb.Container
	for _, ct := range items {
		if nameOK(ct.GetMetadata().GetName()) {
			ctrs = append(ctrs, ct)
		}
	}
	sort.SliceStable(ctrs, func(i, j int) bool { return ctrs[i].CreatedAt > ctrs[j].CreatedAt })
	if c.bool("quiet") {
		for _, ct := range ctrs {
			fmt.Println(ct.Id)
		}
		return nil
	}
	if output == "json" {
		return printJSON(&pb.ListContainersResponse{Containers: ctrs})
	}
	noTrunc := c.bool("no-trunc")
	w := newTable()
	fmt.Fprintln(w, "CONTAINER\tIMAGE\tCREATED\tSTATE\tNAME\tATTEMPT\tPOD ID")
	for _, ct := range ctrs {
		img := ct.GetImage().GetImage()
		if strings.HasPrefix(img, "sha256:") && len(img) == 71 {
			img = truncID(img, "sha256:", noTrunc)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", truncID(ct.Id, "", noTrunc), img, ago(ct.CreatedAt),
			containerState(ct.State), ct.GetMetadata().GetName(), ct.GetMetadata().GetAttempt(),
			truncID(ct.PodSandboxId, "", noTrunc))
	}
	return w.Flush()
}

func cmdImages(c *cli) error {
	output, err := checkOutput(c, "table", "json")
	if err != nil {
		return err
	}
	is, err := c.image()
	if err != nil {
		return err
	}
	req := &pb.ListImagesRequest{}
	if len(c.args) > 0 {
		req.Filter = &pb.ImageFilter{Image: &pb.ImageSpec{Image: c.args[0]}}
	}
	ctx, cancel := c.ctx()
	defer cancel()
	r, err := is.ListImages(ctx, req)
	if err != nil {
		return fmt.Errorf("list images: %v", err)
	}
	imgs := r.Images
	if len(c.args) > 0 {
		// containerd ignores the filter, so apply it here.
		imgs = filterImages(c, is, imgs, c.args[0])
		r.Images = imgs
	}
	sort.SliceStable(imgs, func(i, j int) bool {
		a, b := imgs[i], imgs[j]
		if len(a.RepoTags) > 0 && len(b.RepoTags) > 0 {
			return a.RepoTags[0] < b.RepoTags[0]
		}
		if len(a.RepoDigests) > 0 && len(b.RepoDigests) > 0 {
			return a.RepoDigests[0] < b.RepoDigests[0]
		}
		return a.Id < b.Id
	})
	if c.bool("quiet") {
		for _, img := range imgs {
			fmt.Println(img.Id)
		}
		return nil
	}
	if output == "json" {
		return printJSON(r)
	}
	noTrunc, digests := c.bool("no-trunc"), c.bool("digests")
	w := newTable()
	if digests {
		fmt.Fprintln(w, "IMAGE\tTAG\tDIGEST\tIMAGE ID\tSIZE")
	} else {
		fmt.Fprintln(w, "IMAGE\tTAG\tIMAGE ID\tSIZE")
	}
	for _, img := range imgs {
		// Repository name and digest from the first repo digest, as crictl.
		name, digest := "<none>", "<none>"
		if len(img.RepoDigests) > 0 {
			if parts := strings.SplitN(img.RepoDigests[0], "@", 2); len(parts) == 2 {
				name, digest = parts[0], parts[1]
			}
		}
		pairs := [][2]string{{name, "<none>"}}
		if len(img.RepoTags) > 0 {
			pairs = nil
			for _, t := range img.RepoTags {
				i := strings.LastIndex(t, ":")
				if i < 0 || strings.Contains(t[i:], "/") {
					pairs = append(pairs, [2]string{t, "<none>"})
					continue
				}
				pairs = append(pairs, [2]string{t[:i], t[i+1:]})
			}
		}
		id := truncID(img.Id, "sha256:", noTrunc)
		size := units.HumanSizeWithPrecision(float64(img.Size_), 3)
		for _, p := range pairs {
			if digests {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", p[0], p[1], truncID(digest, "sha256:", noTrunc), id, size)
			} else {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", p[0], p[1], id, size)
			}
		}
	}
	return w.Flush()
}

// filterImages keeps the images that name refers to: by repository (any
// tag), or whatever the runtime resolves it to (tag, digest or ID).
func filterImages(c *cli, is pb.ImageServiceClient, imgs []*pb.Image, name string) []*pb.Image {
	id := ""
	ctx, cancel := c.ctx()
	defer cancel()
	if r, err := is.ImageStatus(ctx, &pb.ImageStatusRequest{Image: &pb.ImageSpec{Image: name}}); err == nil && r.Image != nil {
		id = r.Image.Id
	}
	repos := []string{name, "docker.io/" + name, "docker.io/library/" + name}
	var out []*pb.Image
	for _, img := range imgs {
		keep := img.Id == id
		for _, t := range img.RepoTags {
			if i := strings.LastIndex(t, ":"); i > 0 {
				for _, r := range repos {
					keep = keep || t[:i] == r
				}
			}
		}
		if keep {
			out = append(out, img)
		}
	}
	return out
}

func cmdInspect(c *cli) error {
	if _, err := checkOutput(c, "json"); err != nil {
		return err
	}
	if err := c.needArgs("ID"); err != nil {
		return err
	}
	rt, err := c.runtime()
	if err != nil {
		return err
	}
	for _, id := range c.args {
		ctx, cancel := c.ctx()
		r, err := rt.ContainerStatus(ctx, &pb.ContainerStatusRequest{ContainerId: id, Verbose: true})
		cancel()
		if err != nil {
			return fmt.Errorf("get container status for %q: %v", id, err)
		}
		status, err := toJSON(r.GetStatus())
		if err != nil {
			return err
		}
		if err := printStatusInfo(status, r.Info); err != nil {
			return err
		}
	}
	return nil
}

func cmdInspectp(c *cli) error {
	if _, err := checkOutput(c, "json"); err != nil {
		return err
	}
	if err := c.needArgs("ID"); err != nil {
		return err
	}
	rt, err := c.runtime()
	if err != nil {
		return err
	}
	for _, id := range c.args {
		ctx, cancel := c.ctx()
		r, err := rt.PodSandboxStatus(ctx, &pb.PodSandboxStatusRequest{PodSandboxId: id, Verbose: true})
		cancel()
		if err != nil {
			return fmt.Errorf("get pod sandbox status for %q: %v", id, err)
		}
		status, err := toJSON(r.GetStatus())
		if err != nil {
			return err
		}
		if err := printStatusInfo(status, r.Info); err != nil {
			return err
		}
	}
	return nil
}

// cmdInspecti exits non-zero when an image is absent; kubeadm's
// ImageExists relies on that.
func cmdInspecti(c *cli) error {
	if _, err := checkOutput(c, "json"); err != nil {
		return err
	}
	if err := c.needArgs("image"); err != nil {
		return err
	}
	is, err := c.image()
	if err != nil {
		return err
	}
	for _, name := range c.args {
		ctx, cancel := c.ctx()
		r, err := is.ImageStatus(ctx, &pb.ImageStatusRequest{Image: &pb.ImageSpec{Image: name}, Verbose: true})
		cancel()
		if err != nil {
			return fmt.Errorf("image status for %q request: %v", name, err)
		}
		if r.Image == nil {
			return fmt.Errorf("no such image %q present", name)
		}
		status, err := toJSON(r.Image)
		if err != nil {
			return err
		}
		if err := printStatusInfo(status, r.Info); err != nil {
			return err
		}
	}
	return nil
}

func cmdPull(c *cli) error {
	if len(c.args) != 1 {
		return errors.New("pull takes exactly one image")
	}
	is, err := c.image()
	if err != nil {
		return err
	}
	req := &pb.PullImageRequest{Image: &pb.ImageSpec{Image: c.args[0]}}
	if creds := c.str("creds"); creds != "" {
		up := strings.SplitN(creds, ":", 2)
		req.Auth = &pb.AuthConfig{Username: up[0]}
		if len(up) == 2 {
			req.Auth.Password = up[1]
		}
	} else if auth := c.str("auth"); auth != "" {
		req.Auth = &pb.AuthConfig{Auth: auth}
	}
	r, err := is.PullImage(context.Background(), req)
	if err != nil {
		return fmt.Errorf("pulling image %q: %v", c.args[0], err)
	}
	fmt.Printf("Image is up to date for %s\n", r.ImageRef)
	return nil
}

func cmdStopp(c *cli) error {
	if err := c.needArgs("ID"); err != nil {
		return err
	}
	rt, err := c.runtime()
	if err != nil {
		return err
	}
	for _, id := range c.args {
		if _, err := rt.StopPodSandbox(context.Background(), &pb.StopPodSandboxRequest{PodSandboxId: id}); err != nil {
			return fmt.Errorf("stopping the pod sandbox %q: %v", id, err)
		}
		fmt.Printf("Stopped sandbox %s\n", id)
	}
	return nil
}

func cmdRmp(c *cli) error {
	ids := c.args
	if c.bool("all") {
		pods, err := listPods(c, nil)
		if err != nil {
			return err
		}
		ids = nil
		for _, p := range pods {
			ids = append(ids, p.Id)
		}
	} else if err := c.needArgs("ID"); err != nil {
		return err
	}
	rt, err := c.runtime()
	if err != nil {
		return err
	}
	for _, id := range ids {
		if c.bool("force") {
			if _, err := rt.StopPodSandbox(context.Background(), &pb.StopPodSandboxRequest{PodSandboxId: id}); err != nil {
				return fmt.Errorf("stopping the pod sandbox %q: %v", id, err)
			}
		}
		if _, err := rt.RemovePodSandbox(context.Background(), &pb.RemovePodSandboxRequest{PodSandboxId: id}); err != nil {
			return fmt.Errorf("removing the pod sandbox %q: %v", id, err)
		}
		fmt.Printf("Removed sandbox %s\n", id)
	}
	return nil
}

func cmdStop(c *cli) error {
	if err := c.needArgs("ID"); err != nil {
		return err
	}
	var timeout int64
	if t := c.str("stop-timeout"); t != "" {
		d, err := parseDuration(t)
		if err != nil {
			return fmt.Errorf("bad --timeout %q: %v", t, err)
		}
		timeout = int64(d / time.Second)
	}
	rt, err := c.runtime()
	if err != nil {
		return err
	}
	for _, id := range c.args {
		if _, err := rt.StopContainer(context.Background(), &pb.StopContainerRequest{ContainerId: id, Timeout: timeout}); err != nil {
			return fmt.Errorf("stopping container %q: %v", id, err)
		}
		fmt.Println(id)
	}
	return nil
}

func cmdRm(c *cli) error {
	ids := c.args
	if c.bool("all") {
		ctrs, err := listContainers(c, nil)
		if err != nil {
			return err
		}
		ids = nil
		for _, ct := range ctrs {
			ids = append(ids, ct.Id)
		}
	} else if err := c.needArgs("ID"); err != nil {
		return err
	}
	rt, err := c.runtime()
	if err != nil {
		return err
	}
	for _, id := range ids {
		if c.bool("force") {
			if _, err := rt.StopContainer(context.Background(), &pb.StopContainerRequest{ContainerId: id}); err != nil {
				return fmt.Errorf("stopping container %q: %v", id, err)
			}
		}
		if _, err := rt.RemoveContainer(context.Background(), &pb.RemoveContainerRequest{ContainerId: id}); err != nil {
			return fmt.Errorf("removing container %q: %v", id, err)
		}
		fmt.Println(id)
	}
	return nil
}

// cmdExec runs a command with ExecSync, copies its output and exits with
// its exit code.
func cmdExec(c *cli) error {
	if c.bool("tty") || c.bool("interactive") {
		return errors.New("exec: -t/-i are not supported (ExecSync only)")
	}
	if len(c.args) < 2 {
		return errors.New("exec: need a container ID and a command")
	}
	var timeout int64
	if t := c.str("exec-timeout"); t != "" {
		d, err := parseDuration(t)
		if err != nil {
			return fmt.Errorf("bad --timeout %q: %v", t, err)
		}
		timeout = int64((d + time.Second - 1) / time.Second)
	}
	rt, err := c.runtime()
	if err != nil {
		return err
	}
	// Like kubelet's client: no deadline unless a command timeout is set.
	ctx, cancel := context.WithCancel(context.Background())
	if timeout > 0 {
		ctx, cancel = context.WithTimeout(context.Background(), c.timeout+time.Duration(timeout)*time.Second)
	}
	defer cancel()
	r, err := rt.ExecSync(ctx, &pb.ExecSyncRequest{ContainerId: c.args[0], Cmd: c.args[1:], Timeout: timeout})
	if err != nil {
		return fmt.Errorf("execing command in container %q: %v", c.args[0], err)
	}
	os.Stdout.Write(r.Stdout)
	os.Stderr.Write(r.Stderr)
	if r.ExitCode != 0 {
		return exitCode(r.ExitCode)
	}
	return nil
}

// cmdLogs prints a container's CRI log file ("<time> <stream> <P|F> <text>"
// lines), stdout lines to stdout and stderr lines to stderr.
func cmdLogs(c *cli) error {
	if c.bool("follow") {
		return errors.New("logs: --follow is not supported")
	}
	if len(c.args) != 1 {
		return errors.New("logs takes exactly one container ID")
	}
	tail := -1
	if t := c.str("tail"); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil {
			return fmt.Errorf("bad --tail %q", t)
		}
		tail = n
	}
	rt, err := c.runtime()
	if err != nil {
		return err
	}
	ctx, cancel := c.ctx()
	defer cancel()
	r, err := rt.ContainerStatus(ctx, &pb.ContainerStatusRequest{ContainerId: c.args[0]})
	if err != nil {
		return fmt.Errorf("get container status for %q: %v", c.args[0], err)
	}
	path := r.GetStatus().GetLogPath()
	if path == "" {
		return fmt.Errorf("container %q has no log path", c.args[0])
	}
	data, err := ioutil.ReadFile(path)
	if err != nil {
		return err
	}
	lines := strings.SplitAfter(string(data), "\n")
	if n := len(lines); n > 0 && lines[n-1] == "" {
		lines = lines[:n-1]
	}
	if tail >= 0 && tail < len(lines) {
		lines = lines[len(lines)-tail:]
	}
	for _, l := range lines {
		f := strings.SplitN(strings.TrimSuffix(l, "\n"), " ", 4)
		if len(f) < 3 {
			continue
		}
		text := ""
		if len(f) == 4 {
			text = f[3]
		}
		if f[2] != "P" {
			text += "\n"
		}
		if c.bool("timestamps") {
			text = f[0] + " " + text
		}
		out := os.Stdout
		if f[1] == "stderr" {
			out = os.Stderr
		}
		io.WriteString(out, text)
	}
	return nil
}
