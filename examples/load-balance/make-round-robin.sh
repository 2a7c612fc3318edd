#!/bin/bash
# Writes round-robin.yaml: the same tasks dealt to 12 separate copies in turn (task i to
# copy i % 12), the static split that replicas are compared with.
set -euo pipefail
cd "$(dirname "$0")"
{
  echo "# Written by make-round-robin.sh: the tasks of farm.yaml dealt to 12 copies in turn."
  echo "#"
  echo "# PATCHBAY_PLUGIN_PATH=build/examples/load-balance build/cli/patchbay run examples/load-balance/round-robin.yaml"
  echo "patchbay:"
  echo "  plugins: [loadbalance]"
  echo "  components:"
  echo "    - {type: loadbalance.Tasks, name: tasks, args: {count: 146, short_seconds: 0.02, long_every: 12, long_factor: 5}}"
  echo "    - {type: loadbalance.RoundRobin, name: deal, args: {ways: 12}}"
  for k in $(seq 0 11); do echo "    - {type: loadbalance.Work, name: w$k}"; done
  echo "    - {type: loadbalance.Timetable, name: table, args: {path: round-robin.svg, title: \"round robin over 12\"}}"
  echo "  connectors:"
  echo "    - {source: tasks.id, target: deal.id}"
  echo "    - {source: tasks.seconds, target: deal.seconds}"
  for k in $(seq 0 11); do
    echo "    - {source: deal.id_$k, target: w$k.id}"
    echo "    - {source: deal.seconds_$k, target: w$k.seconds}"
    echo "    - {source: w$k.record, target: table.record}"
  done
} > round-robin.yaml
