package demo

import "time"

// The demo world is planned here, as data: which environments and apps
// exist, which builds each app has, what Git declares in every cell and what
// the cluster runs there. Every state of DESIGN.md is placed on purpose; the
// comments on the cells say which.

// namespace is where every app runs, in every cluster.
const namespace = "shop"

// argoNamespace holds the Argo CD Applications of each cluster.
const argoNamespace = "argocd"

// epoch is the demo's "day zero": build times and commit times count from
// it, so that a seed always gives the same world.
var epoch = time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)

// envPlan is one environment and its cluster.
type envPlan struct {
	Name      string
	After     []string
	Protected bool
	Context   string
	// Forbidden makes the cluster refuse to list or watch pods, as RBAC
	// does for a read-only user without access: the "error" column.
	Forbidden bool
}

var envPlans = []envPlan{
	{Name: "dev", Context: "demo-dev"},
	{Name: "staging", Context: "demo-staging"},
	{Name: "prod-eu", After: []string{"staging"}, Protected: true, Context: "demo-prod-eu"},
	{Name: "prod-us", After: []string{"staging"}, Protected: true, Context: "demo-prod-us"},
	{Name: "prod-ap", After: []string{"staging"}, Protected: true, Context: "demo-prod-ap", Forbidden: true},
}

// identityStyle says where a build carries its version and commit.
type identityStyle int

const (
	annotated identityStyle = iota // OCI annotations on the manifest or index
	labelled                       // labels in the image config blob
	bare                           // neither: the tag is all a human gets
)

// twist is how a cell departs from "the cluster runs what Git says".
type twist int

const (
	steady  twist = iota // in sync: pods run the declared build, controller synced
	drift                // someone set another image by hand; the controller says synced
	pending              // Git moved on; the controller (manual sync) has not applied it
	rolling              // a paused rollout: some pods on the declared build, some on Other
)

// idForm is how the container runtime reports a pod's imageID.
type idForm int

const (
	formIndex    idForm = iota // repo@<index digest> (containerd)
	formPlatform               // repo@<linux/amd64 manifest digest>
	formPullable               // docker-pullable://repo@<index digest> (dockershim)
)

// cellPlan is one app in one environment.
type cellPlan struct {
	Build int   // index into the app's builds: what Git declares
	Twist twist // steady unless the cell is there to show a state
	Other int   // drift: the build running; pending, rolling: the previous build
	// TagOnly declares the tag without a digest (the registry resolves it).
	TagOnly bool
}

// appPlan is one app: its packaging, its builds and its cells.
type appPlan struct {
	Name      string
	Helm      bool // a chart with values-<env>.yaml; else a Kustomize base with overlays
	Replicas  int
	MultiArch bool // every build is an index of linux/amd64 and linux/arm64
	Style     identityStyle
	Versions  []string
	// Rebuilt pushes the last version's tag once more with a fresh build:
	// builds[len(Versions)] shares its tag with builds[len(Versions)-1].
	Rebuilt bool
	Cells   map[string]cellPlan // env → cell; an absent env is "missing"
}

// everywhere declares build b, steady, in every environment.
func everywhere(b int) map[string]cellPlan {
	out := map[string]cellPlan{}
	for _, e := range envPlans {
		out[e.Name] = cellPlan{Build: b}
	}
	return out
}

// with returns cells with one cell replaced.
func with(cells map[string]cellPlan, env string, c cellPlan) map[string]cellPlan {
	cells[env] = c
	return cells
}

// appPlans is the world. prod-ap's column is all "error" (its cluster
// forbids reading pods); the other states sit where a newcomer finds them.
var appPlans = []appPlan{
	{Name: "storefront", Replicas: 3, MultiArch: true, Style: annotated,
		Versions: []string{"1.8.0", "1.9.0", "1.9.1", "1.10.0", "1.11.0"},
		Cells:    everywhere(4)},
	{Name: "checkout", Replicas: 2, Style: labelled,
		Versions: []string{"2.3.0", "2.4.0", "2.5.0", "2.5.1", "2.6.0"},
		// pending: 2.6.0 was promoted to prod-us, which syncs by hand.
		Cells: with(everywhere(4), "prod-us", cellPlan{Build: 4, Twist: pending, Other: 3})},
	{Name: "payments", Replicas: 3, Style: annotated,
		Versions: []string{"3.1.0", "3.2.0", "3.2.1", "3.3.0"},
		// drift: rolled back by hand in prod-eu during an incident.
		Cells: with(everywhere(3), "prod-eu", cellPlan{Build: 3, Twist: drift, Other: 2})},
	{Name: "search", Helm: true, Replicas: 4, MultiArch: true, Style: annotated,
		Versions: []string{"0.9.0", "0.10.0", "0.11.0", "0.11.1", "0.12.0"},
		// rolling: the prod-us rollout is paused half way.
		Cells: with(everywhere(4), "prod-us", cellPlan{Build: 4, Twist: rolling, Other: 3})},
	{Name: "catalog", Replicas: 2, Style: labelled,
		Versions: []string{"4.0.0", "4.1.0", "4.2.0", "4.3.0"},
		// behind: prod-us still runs 4.2.0 while staging has 4.3.0.
		Cells: with(everywhere(3), "prod-us", cellPlan{Build: 2})},
	{Name: "cart", Helm: true, Replicas: 2, MultiArch: true, Style: annotated,
		Versions: []string{"1.1.0", "1.2.0", "1.3.0", "1.4.0"}, Rebuilt: true,
		// tag moved: 1.4.0 was pushed again; dev runs the rebuild, the
		// others pin the first 1.4.0 by digest.
		Cells: with(everywhere(3), "dev", cellPlan{Build: 4})},
	{Name: "notifications", Helm: true, Replicas: 2, MultiArch: true, Style: bare,
		Versions: []string{"0.4.0", "0.5.0", "0.6.0"},
		// dev follows the tag alone; the registry says which digest it is.
		Cells: with(everywhere(2), "dev", cellPlan{Build: 2, TagOnly: true})},
	{Name: "recommendations", Replicas: 1, Style: labelled,
		Versions: []string{"0.1.0", "0.2.0", "0.3.0"},
		// missing: not yet released in prod-us and prod-ap.
		Cells: map[string]cellPlan{"dev": {Build: 2}, "staging": {Build: 2}, "prod-eu": {Build: 2}}},
}

// buildCount is how many builds the registry holds for an app.
func (a appPlan) buildCount() int {
	if a.Rebuilt {
		return len(a.Versions) + 1
	}
	return len(a.Versions)
}

// version is the tag of build b.
func (a appPlan) version(b int) string {
	if b >= len(a.Versions) {
		return a.Versions[len(a.Versions)-1]
	}
	return a.Versions[b]
}

// buildTime is when build b of any app was pushed: three days apart (a
// rebuild counts as a build of its own).
func buildTime(b int) time.Time {
	return epoch.Add(time.Duration(b) * 72 * time.Hour)
}

// formFor spreads the imageID forms over the cells so that every form is
// on screen.
func formFor(appIndex, envIndex int) idForm {
	return idForm((appIndex + envIndex) % 3)
}

func envIndex(name string) int {
	for i, e := range envPlans {
		if e.Name == name {
			return i
		}
	}
	return -1
}

func appIndex(name string) int {
	for i, a := range appPlans {
		if a.Name == name {
			return i
		}
	}
	return -1
}
