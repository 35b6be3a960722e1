package report

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// browser starts headless Chromium (Debian's, which .ci/run installs) on
// the HTML report, recording script errors, console errors and dialogs.
func browser(t *testing.T) (ctx context.Context, url string, problems func() []string) {
	t.Helper()
	bin := os.Getenv("SHADOWSCAN_CHROMIUM")
	if bin == "" {
		for _, c := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(c); err == nil {
				bin = p
				break
			}
		}
	}
	if bin == "" {
		t.Skip("no Chromium on this machine (.ci/run installs Debian's chromium)")
	}
	var buf bytes.Buffer
	if err := WriteHTML(&buf, build(t)); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "report.html")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(filepath.Join(dir, "profile")), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	var mu sync.Mutex
	var seen []string
	chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			seen = append(seen, "exception: "+e.ExceptionDetails.Text)
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning {
				seen = append(seen, "console "+string(e.Type))
			}
		case *page.EventJavascriptDialogOpening:
			seen = append(seen, "dialog: "+e.Message)
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	})
	return ctx, "file://" + file, func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), seen...) }
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

func TestReportInABrowser(t *testing.T) {
	ctx, url, problems := browser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitReady("#agent-view-table")); err != nil {
		t.Fatal(err)
	}
	visible := func(table string) int {
		return eval[int](t, ctx, `Array.prototype.filter.call(document.querySelectorAll('#`+table+` tbody tr'), function(r){ return r.style.display !== 'none'; }).length`)
	}
	agents := visible("agent-view-table")
	if agents == 0 {
		t.Fatal("no agent rows")
	}
	// A facet: nothing is sanctioned without a policy.
	eval[bool](t, ctx, `(function(){ var s = document.querySelector('select[data-facet="agent-view-table"][data-attr="status"]'); s.value = 'sanctioned'; s.dispatchEvent(new Event('change')); return true; })()`)
	if n := visible("agent-view-table"); n != 0 {
		t.Errorf("status=sanctioned shows %d agents", n)
	}
	eval[bool](t, ctx, `(function(){ var s = document.querySelector('select[data-facet="agent-view-table"][data-attr="status"]'); s.value = ''; s.dispatchEvent(new Event('change')); return true; })()`)
	if n := visible("agent-view-table"); n != agents {
		t.Errorf("clearing the facet shows %d of %d agents", n, agents)
	}
	// Vendor options are filled from the data.
	if opts := eval[int](t, ctx, `document.querySelectorAll('select[data-attr="vendor"] option').length`); opts < 2 {
		t.Errorf("vendor facet has %d options", opts)
	}
	// Search.
	eval[bool](t, ctx, `(function(){ var i = document.querySelector('input[data-filter="inventory-table"]'); i.value = 'codecov'; i.dispatchEvent(new Event('input')); return true; })()`)
	if n := visible("inventory-table"); n != 1 {
		t.Errorf("search for codecov shows %d identities", n)
	}
	// The frameworks view drills down into the findings.
	eval[bool](t, ctx, `(function(){ document.querySelector('button[data-set-filter="findings-table"][data-value="NHI2:2025"]').click(); return true; })()`)
	if n, all := visible("findings-table"), eval[int](t, ctx, `document.querySelectorAll('#findings-table tbody tr').length`); n == 0 || n == all {
		t.Errorf("NHI2:2025 drill-down shows %d of %d findings", n, all)
	}
	// CSV export of the visible rows: capture the blob instead of downloading.
	csv := eval[string](t, ctx, `new Promise(function(done){
		URL.createObjectURL = function(b){ b.text().then(done); return 'about:blank'; }; HTMLAnchorElement.prototype.click = function(){};
		document.querySelector('button[data-csv="inventory-table"]').click(); })`)
	lines := strings.Split(strings.TrimSpace(csv), "\r\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], `"Risk","Name"`) || !strings.Contains(lines[1], "Codecov") {
		t.Errorf("CSV of the visible rows: %q", csv)
	}
	eval[bool](t, ctx, `(function(){ var i = document.querySelector('input[data-filter="inventory-table"]'); i.value = 'cursor-agent'; i.dispatchEvent(new Event('input')); return true; })()`)
	csv = eval[string](t, ctx, `new Promise(function(done){
		URL.createObjectURL = function(b){ b.text().then(done); return 'about:blank'; }; HTMLAnchorElement.prototype.click = function(){};
		document.querySelector('button[data-csv="inventory-table"]').click(); })`)
	if !strings.Contains(csv, `"'=cmd|`) {
		t.Errorf("a formula cell was not neutralized in the CSV: %q", csv)
	}
	// The detail view of an agent opens and holds its kill switch.
	if !eval[bool](t, ctx, `(function(){ var d = document.querySelector('#agent-view-table details'); d.open = true; return d.textContent.indexOf('Kill switch') >= 0 || d.textContent.indexOf('Risk breakdown') >= 0; })()`) {
		t.Error("agent details do not open")
	}
	// Dark mode changes the palette.
	if err := emulateDark(ctx); err != nil {
		t.Fatal(err)
	}
	if bg := eval[string](t, ctx, `getComputedStyle(document.body).backgroundColor`); bg == "rgb(255, 255, 255)" {
		t.Errorf("dark mode background is %s", bg)
	}
	// The hostile app name stayed text: no injected element, no dialog.
	if eval[int](t, ctx, `document.querySelectorAll('img[src="x"], script:not(:last-of-type)').length`) != 0 {
		t.Error("an injected element is in the DOM")
	}
	if !eval[bool](t, ctx, `document.body.textContent.indexOf('<script>alert(1)</script>') >= 0`) {
		t.Error("the hostile name is not shown as text")
	}
	time.Sleep(200 * time.Millisecond)
	if p := problems(); len(p) != 0 {
		t.Errorf("the page had problems: %v", p)
	}
}
