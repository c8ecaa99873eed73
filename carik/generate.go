package carik

//go:generate go run ../gen -root ..
