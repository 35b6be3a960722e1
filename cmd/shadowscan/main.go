// Command shadowscan finds the AI agents and other non-human identities in a
// company's SaaS tenants, records them in a registry with history, rates how
// risky each is, and writes reports and exports.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/shadowscan/shadowscan/report"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// usageError marks a mistake in how shadowscan was called (exit code 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// gateError is --fail-on finding what it gates on (exit code 3).
type gateError struct {
	n        int
	severity string
	newOnly  bool
}

func (e gateError) Error() string {
	what := "open findings"
	if e.newOnly {
		what = "new findings"
	}
	return fmt.Sprintf("%d %s at or above %s (--fail-on)", e.n, what, e.severity)
}

// printError writes err line by line with control characters stripped:
// errors carry vendor messages and object names written by strangers.
func printError(w io.Writer, err error) {
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintf(w, "shadowscan: %s\n", report.Strip(line))
	}
}

// run executes one command line and returns the exit code: 0 success, 1
// error, 2 usage, 3 --fail-on found what it gates on.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	printError(stderr, err)
	var ge gateError
	if errors.As(err, &ge) {
		return 3
	}
	var ue usageError
	msg := err.Error()
	if errors.As(err, &ue) || strings.HasPrefix(msg, "unknown command") || strings.HasPrefix(msg, "unknown flag") ||
		strings.HasPrefix(msg, "unknown shorthand") || strings.Contains(msg, "flag needs an argument") || strings.HasPrefix(msg, "invalid argument") ||
		strings.Contains(msg, "accepts ") || strings.HasPrefix(msg, "required flag") {
		fmt.Fprintln(stderr, "Run 'shadowscan --help' for usage.")
		return 2
	}
	return 1
}
