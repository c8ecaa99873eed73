package carik

// NumberProblem exposes numberProblem to the tests of package carik_test.
func NumberProblem(n string) string { return numberProblem(n) }
