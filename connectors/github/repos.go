package github

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"

	gh "github.com/google/go-github/v60/github"
	"golang.org/x/sync/errgroup"

	"github.com/shadowscan/shadowscan/inventory"
)

// repoCollector tracks one per-repository collector across all workers.
type repoCollector struct {
	name    string
	mu      sync.Mutex
	skipped *inventory.Coverage // set on the first 403: the token cannot read this anywhere
	failed  error               // first error that was not a skip
	errors  int
}

func (rc *repoCollector) isSkipped() bool {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.skipped != nil
}

func (rc *repoCollector) record(repo string, err error) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if isStatus(err, 403) {
		if rc.skipped == nil {
			c := classify(rc.name, err)
			rc.skipped = &c
		}
		return
	}
	rc.errors++
	if rc.failed == nil {
		rc.failed = fmt.Errorf("repository %s: %w", repo, err)
	}
}

func (rc *repoCollector) coverage() inventory.Coverage {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	switch {
	case rc.skipped != nil:
		return *rc.skipped
	case rc.failed != nil:
		return inventory.Coverage{Collector: rc.name, Status: inventory.CoverageError,
			Reason: fmt.Sprintf("%d repositories could not be read; first: %v", rc.errors, rc.failed)}
	}
	return inventory.Coverage{Collector: rc.name, Status: inventory.CoverageOK}
}

type repoRef struct{ owner, name, full string }

// repos lists the org's repositories, then reads deploy keys, webhooks and
// Actions secrets and variables of each with bounded concurrency. A repo
// deleted between listing and reading (404) is passed over.
func (s *scan) repos(ctx context.Context) error {
	var repos []repoRef
	opts := &gh.RepositoryListByOrgOptions{Type: "all", ListOptions: gh.ListOptions{PerPage: perPage}}
	err := eachPage(&opts.ListOptions, func() ([]*gh.Repository, *gh.Response, error) {
		return s.c.client.Repositories.ListByOrg(ctx, s.org, opts)
	}, func(r *gh.Repository) error {
		owner := r.GetOwner().GetLogin()
		if owner == "" {
			owner = s.org
		}
		repos = append(repos, repoRef{owner: owner, name: r.GetName(), full: owner + "/" + r.GetName()})
		return nil
	})
	if err != nil {
		return err
	}
	if err := s.sink.Setting(ctx, inventory.Setting{Key: "github.repositories", Value: len(repos)}); err != nil {
		return err
	}
	cols := []*repoCollector{{name: colDeployKeys}, {name: colRepoHooks}, {name: colRepoSecrets}, {name: colRepoVariables}}
	fns := []func(context.Context, repoRef) error{s.deployKeys, s.repoHooks, s.repoSecrets, s.repoVariables}

	var done, gone atomic.Int64
	step := max(len(repos)/10, 50)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.c.cfg.Concurrency)
	for _, r := range repos {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			for i, fn := range fns {
				if cols[i].isSkipped() {
					continue
				}
				err := fn(gctx, r)
				switch {
				case err == nil:
				case gctx.Err() != nil:
					return gctx.Err()
				case isStatus(err, 404):
					gone.Add(1)
					s.c.log.Debug("repository gone while scanning", "repo", r.full)
					return nil
				default:
					var sinkErr sinkError
					if errors.As(err, &sinkErr) {
						return err
					}
					cols[i].record(r.full, err)
				}
			}
			if n := done.Add(1); n%int64(step) == 0 {
				s.c.log.Info("scanning repositories", "done", n, "of", len(repos))
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if n := gone.Load(); n > 0 {
		s.c.log.Info("repositories deleted during the scan were passed over", "count", n)
	}
	for _, c := range cols {
		cov := c.coverage()
		if cov.Status == inventory.CoverageError {
			s.sink.Error(ctx, fmt.Errorf("collector %s: %s", c.name, cov.Reason))
		}
		if err := s.sink.Coverage(ctx, cov); err != nil {
			return err
		}
	}
	return nil
}

// sinkError marks a failure to record (the registry), which must stop the
// crawl rather than count as one repository's problem.
type sinkError struct{ err error }

func (e sinkError) Error() string { return e.err.Error() }
func (e sinkError) Unwrap() error { return e.err }

func (s *scan) emit(ctx context.Context, id inventory.Identity) error {
	if err := s.sink.Identity(ctx, id); err != nil {
		return sinkError{err}
	}
	return nil
}

func (s *scan) deployKeys(ctx context.Context, r repoRef) error {
	opts := &gh.ListOptions{PerPage: perPage}
	return eachPage(opts, func() ([]*gh.Key, *gh.Response, error) {
		return s.c.client.Repositories.ListKeys(ctx, r.owner, r.name, opts)
	}, func(k *gh.Key) error {
		native := r.full + "/" + strconv.FormatInt(k.GetID(), 10)
		perm := "contents:write"
		if k.GetReadOnly() {
			perm = "contents:read"
		}
		id := inventory.Identity{Kind: KindDeployKey, NativeID: native, Name: k.GetTitle(), Collector: colDeployKeys, Status: "active",
			Origin: "internal", CreatedAt: tsp(k.CreatedAt), LastUsedAt: tsp(k.LastUsed),
			Attributes: map[string]any{"repository": r.full, "read_only": k.GetReadOnly(), "verified": k.GetVerified(), "added_by": k.GetAddedBy()},
			Credentials: []inventory.Credential{{Type: "deploy_key", ID: strconv.FormatInt(k.GetID(), 10), Hint: inventory.Hint(k.GetKey()),
				CreatedAt: tsp(k.CreatedAt), LastUsedAt: tsp(k.LastUsed)}},
			Grants: []inventory.Grant{{Resource: "repository:" + r.full, Permission: perm, Type: inventory.GrantToken, Consent: "admin"}}}
		if by := k.GetAddedBy(); by != "" {
			id.Owners = []inventory.OwnerRef{{Role: "creator", Principal: s.principal(by)}}
		}
		return s.emit(ctx, id)
	})
}

func (s *scan) repoHooks(ctx context.Context, r repoRef) error {
	opts := &gh.ListOptions{PerPage: perPage}
	return eachPage(opts, func() ([]*gh.Hook, *gh.Response, error) {
		return s.c.client.Repositories.ListHooks(ctx, r.owner, r.name, opts)
	}, func(h *gh.Hook) error {
		return s.emit(ctx, hookIdentity(h, KindRepoWebhook, r.full+"/"+strconv.FormatInt(h.GetID(), 10), r.full, colRepoHooks))
	})
}

func (s *scan) repoSecrets(ctx context.Context, r repoRef) error {
	opts := &gh.ListOptions{PerPage: perPage}
	return eachPage(opts, func() ([]*gh.Secret, *gh.Response, error) {
		return secretsPage(s.c.client.Actions.ListRepoSecrets(ctx, r.owner, r.name, opts))
	}, func(sec *gh.Secret) error {
		return s.emit(ctx, secretIdentity(sec, r.full, colRepoSecrets))
	})
}

func (s *scan) repoVariables(ctx context.Context, r repoRef) error {
	path := "repos/" + url.PathEscape(r.owner) + "/" + url.PathEscape(r.name) + "/actions/variables"
	return listEnvelope(ctx, s, path, "variables", func(v variable) error {
		if id, ok := variableIdentity(v, r.full, colRepoVariables); ok {
			return s.emit(ctx, id)
		}
		return nil
	})
}
