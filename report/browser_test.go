package report

import (
	"bytes"
	"context"
	"fmt"
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

	"github.com/shadowscan/shadowscan/findings"
	"github.com/shadowscan/shadowscan/inventory"
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
	ctx, cancelT := context.WithTimeout(ctx, 3*time.Minute)
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

// TestLargeReportInABrowser loads a report of 20,000 identities, pages and
// searches it, and logs how long that takes (timings are not asserted).
func TestLargeReportInABrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("large report: skipped with -short")
	}
	snap := &inventory.Snapshot{TakenAt: now, Tenants: []inventory.Tenant{{Platform: "github", Key: "acme"}}}
	slugs := []string{"claude", "renovate", "cursor", "netlify", "coderabbitai"}
	for i := 0; i < 20000; i++ {
		snap.Identities = append(snap.Identities, inventory.Identity{ID: fmt.Sprintf("github:acme:github_app_installation:%05d", i), Kind: "github_app_installation",
			NativeID: fmt.Sprint(i), Name: fmt.Sprintf("app-%05d %s", i, slugs[i%len(slugs)]), Platform: "github", TenantKey: "acme", TenantID: "github:acme",
			Status: "active", Attributes: map[string]any{"app_slug": slugs[i%len(slugs)], "repository_selection": "selected"}, FirstSeen: now, LastSeen: now,
			Grants: []inventory.Grant{{Resource: "repositories:selected", Permission: "contents:write", Type: "installation"}}})
	}
	r := Build(snap, findings.Analyze(snap, findings.Options{Now: now}), Options{GeneratedAt: now})
	ctx, _, problems := browser(t)
	var buf bytes.Buffer
	if err := WriteHTML(&buf, r); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "large.html")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+file), chromedp.WaitReady("div[data-pager=inventory-table] button")); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d identities, %d MB of HTML: interactive in %s", len(r.Identities), buf.Len()>>20, time.Since(start).Round(time.Millisecond))
	shown := func() int {
		return eval[int](t, ctx, `Array.prototype.filter.call(document.querySelectorAll('#inventory-table tbody tr'), function(r){ return r.style.display !== 'none'; }).length`)
	}
	if n := shown(); n != 200 {
		t.Errorf("first page shows %d rows, want 200", n)
	}
	label := eval[string](t, ctx, `(function(){ document.querySelectorAll('div[data-pager="inventory-table"] button')[1].click(); return document.querySelector('div[data-pager="inventory-table"] span').textContent; })()`)
	if label != "rows 201–400 of 20000" || shown() != 200 {
		t.Errorf("next page: %q, %d rows", label, shown())
	}
	ms := eval[float64](t, ctx, `(function(){ var t0 = performance.now(); var i = document.querySelector('input[data-filter="inventory-table"]'); i.value = 'app-01999 '; i.dispatchEvent(new Event('input')); return performance.now() - t0; })()`)
	t.Logf("search over 20,000 rows: %.0f ms", ms)
	if n := shown(); n != 1 {
		t.Errorf("search shows %d rows, want 1", n)
	}
	if p := problems(); len(p) != 0 {
		t.Errorf("problems: %v", p)
	}
}
