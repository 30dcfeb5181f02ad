# mistype the path of a scenario
eval scenarios/bailly51t.yaml
