package github

import gh "github.com/google/go-github/v60/github"

// eachPage walks a go-github list call page by page, handing every item to
// fn. list reads its page number from lo, which eachPage advances from
// Response.NextPage (the Link header), so no loop repeats the bookkeeping.
func eachPage[T any](lo *gh.ListOptions, list func() ([]T, *gh.Response, error), fn func(T) error) error {
	for {
		items, resp, err := list()
		if err != nil {
			return err
		}
		for _, it := range items {
			if err := fn(it); err != nil {
				return err
			}
		}
		if resp == nil || resp.NextPage == 0 {
			return nil
		}
		lo.Page = resp.NextPage
	}
}

// secretsPage unwraps the Actions secrets list calls, which return their
// page inside *gh.Secrets.
func secretsPage(secs *gh.Secrets, resp *gh.Response, err error) ([]*gh.Secret, *gh.Response, error) {
	if err != nil || secs == nil {
		return nil, resp, err
	}
	return secs.Secrets, resp, nil
}
