#!/usr/bin/env bash
# The Helm chart against the real local API server: it lints, the API server accepts every object it
# renders (server-side dry run, so schemas and admission are checked without anything running), with
# and without the host-network option, with its monitoring and cert-manager options on and off, its
# containers run binaries this build produces, its
# ServiceAccounts may do what the binaries ask, and a real install, upgrades and uninstall keep the
# keyring and the serving certificates as the chart promises. Needs KUBECONFIG (scripts/test sets it).
# shellcheck disable=SC2016 # jq programs, with their own $variables, are in single quotes
set -euo pipefail

repo_root="$(cd "$(dirname "$0")/../.." && pwd)"
build_bin="$1"
chart="$repo_root/charts/kernel-secrets"
helm="$("$repo_root/scripts/install-helm")"
namespace="kernel-secrets-chart-test-$$"
release="chart-test"

fail() { echo "chart test: FAILED: $*" >&2; exit 1; }
# The API server's minor version (Debian's build reports none of its own).
server_minor=${KERNEL_SECRETS_KUBE_MINOR:?source the env file of scripts/local-up}

cleanup() {
  "$helm" uninstall "$release" -n "$namespace" --wait >/dev/null 2>&1 || true
  # The release's webhooks point at pods that never run here; never leave them behind.
  kubectl delete mutatingwebhookconfiguration,validatingwebhookconfiguration \
    -l "app.kubernetes.io/instance=$release" --ignore-not-found >/dev/null
  kubectl delete namespace "$namespace" "$namespace-restricted" --wait=false --ignore-not-found >/dev/null
  # The stand-in CRDs of the Prometheus operator and cert-manager exist only while this test runs.
  kubectl delete crd -l kernelsecrets.dev/test-fixture=chart --ignore-not-found >/dev/null
  [[ -z "${scratch:-}" ]] || rm -rf "$scratch"
}
trap cleanup EXIT

kubectl create namespace "$namespace" >/dev/null
"$helm" lint "$chart" >/dev/null 2>&1 || "$helm" lint "$chart" || fail "helm lint"

# Every object, as the API server would store it. --validate renders for the API versions this
# server has, but refuses to adopt the CRDs local-up installed, so those are rendered on their own.
render() {
  "$helm" template "$release" "$chart" -n "$namespace" "$@" \
    --set 'communityAdmins[0].community=physics' \
    --set 'communityAdmins[0].subjects[0].kind=Group' \
    --set 'communityAdmins[0].subjects[0].name=physics-admins' \
    --set 'communityAdmins[0].subjects[0].apiGroup=rbac.authorization.k8s.io'
}
rendered="$(render --validate --set crds.install=false)"
accepted="$(kubectl apply --dry-run=server -n "$namespace" -o json -f - <<<"$rendered")" ||
  fail "the API server refused a rendered object"
# For this server's version, which decides whether the CRDs carry CEL rules.
render --show-only templates/crds.yaml --kube-version "1.$server_minor.0" | kubectl apply --dry-run=server -f - >/dev/null ||
  fail "the API server refused the chart's CRDs"

# Each Deployment's container runs one of the binaries this build produces, under the same name.
commands="$(jq -r '.items[] | select(.kind == "Deployment") | .spec.template.spec.containers[].command[0]' <<<"$accepted")"
[[ "$(wc -l <<<"$commands")" == 2 ]] || fail "expected two Deployments, found commands: $commands"
for command in $commands; do
  [[ -x "$build_bin/$command" ]] || fail "a container runs $command, which the build does not produce"
done

# expect_json WHAT JQ_FILTER EXPECTED OBJECTS: the filter applied to OBJECTS (a List) gives EXPECTED.
expect_json() {
  local what=$1 filter=$2 expected=$3 objects=$4 actual
  actual="$(jq -c "$filter" <<<"$objects")"
  jq -e --argjson want "$expected" '. == $want' <<<"$actual" >/dev/null ||
    fail "$what: expected $(jq -c . <<<"$expected"), got $actual"
}
# The value after a flag in a container's args, null without the flag.
jq_flag='def flag($name): .args as $args | ($args | index([$name])) as $i | if $i then $args[$i + 1] else null end;'
# How each webhook is called: its URL, or "service" for a Service.
jq_webhooks='[.items[] | select(.kind | endswith("WebhookConfiguration")) | .webhooks[]
  | {key: .name, value: (if .clientConfig.service then "service" else .clientConfig.url end)}] | from_entries'
# The webhooks this API server gets, out of all of them (EXPECTED on stdin): from 1.25 the CRD's CEL
# rules take the validating Secret webhook's place.
webhooks_for_this_server() {
  jq -c --argjson minor "$server_minor" 'if $minor >= 25 then del(.["validate.secrets.kernelsecrets.dev"]) else . end'
}
# What the host-network option changes in each Deployment's pod, by component.
jq_pods="$jq_flag"'[.items[] | select(.kind == "Deployment") | .spec.template.spec as $pod | $pod.containers[0]
  | {key: $pod.containers[0].name, value: {
      hostNetwork: ($pod.hostNetwork // false), dnsPolicy: $pod.dnsPolicy, ports: (.ports // [] | length),
      bind: flag("--bind-address"), port: flag("--port"), reusePort: flag("--reuse-port"),
      identity: flag("--identity"),
      env: ([.env // [] | .[] | {key: .name, value: (.value // .valueFrom.fieldRef.fieldPath)}] | from_entries),
      probes: [.livenessProbe.httpGet, .readinessProbe.httpGet | "\(.host // "pod IP"):\(.port)\(.path)"]}}]
  | from_entries'

# The default install: Services in front of pods in their own network; the operator's leader-election
# identity is its pod's name.
expect_json "the default webhooks" "$jq_webhooks" "$(webhooks_for_this_server <<<'{"secrets.kernelsecrets.dev": "service",
  "validate.secrets.kernelsecrets.dev": "service", "secretshares.kernelsecrets.dev": "service",
  "pods.kernelsecrets.dev": "service"}')" "$accepted"
expect_json "the default pods" "$jq_pods" '{
  "operator": {"hostNetwork": false, "dnsPolicy": "ClusterFirst", "ports": 1, "bind": "0.0.0.0", "port": "8443",
    "reusePort": null, "identity": "$(POD_NAME)", "env": {"POD_NAME": "metadata.name"},
    "probes": ["pod IP:8443/healthz", "pod IP:8443/readyz"]},
  "injector": {"hostNetwork": false, "dnsPolicy": "ClusterFirst", "ports": 1, "bind": "0.0.0.0", "port": "8443",
    "reusePort": null, "identity": null, "env": {},
    "probes": ["pod IP:8443/healthz", "pod IP:8443/readyz"]}}' "$accepted"

# The host-network install (docs/operations.md#host-network), for an API server that cannot reach the
# pod network: the API server accepts it too, the webhooks name URLs, no Service is rendered, the pods
# share their node's network and ports and reach the API server at apiServer, and the serving
# certificates hold the webhook host as an IP address.
host_network=(--set hostNetwork.enabled=true --set hostNetwork.webhookHost=127.0.0.1
  --set hostNetwork.operatorPort=19443 --set hostNetwork.injectorPort=19444
  --set apiServer.host=127.0.0.1 --set apiServer.port=16443)
rendered="$(render --validate --set crds.install=false "${host_network[@]}")"
accepted_host_network="$(kubectl apply --dry-run=server -n "$namespace" -o json -f - <<<"$rendered")" ||
  fail "the API server refused a rendered object of the host-network install"
expect_json "the host-network webhooks" "$jq_webhooks" "$(webhooks_for_this_server <<<'{
  "secrets.kernelsecrets.dev": "https://127.0.0.1:19443/mutate/secrets",
  "validate.secrets.kernelsecrets.dev": "https://127.0.0.1:19443/validate/secrets",
  "secretshares.kernelsecrets.dev": "https://127.0.0.1:19443/validate/secretshares",
  "pods.kernelsecrets.dev": "https://127.0.0.1:19444/mutate/pods"}')" "$accepted_host_network"
expect_json "the host-network Services" '[.items[] | select(.kind == "Service")] | length' 0 "$accepted_host_network"
expect_json "the host-network pods" "$jq_pods" '{
  "operator": {"hostNetwork": true, "dnsPolicy": "ClusterFirstWithHostNet", "ports": 0, "bind": "127.0.0.1",
    "port": "19443", "reusePort": "true", "identity": "$(POD_NAME)",
    "env": {"KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": "16443", "POD_NAME": "metadata.name"},
    "probes": ["127.0.0.1:19443/healthz", "127.0.0.1:19443/readyz"]},
  "injector": {"hostNetwork": true, "dnsPolicy": "ClusterFirstWithHostNet", "ports": 0, "bind": "127.0.0.1",
    "port": "19444", "reusePort": "true", "identity": null,
    "env": {"KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": "16443"},
    "probes": ["127.0.0.1:19444/healthz", "127.0.0.1:19444/readyz"]}}' "$accepted_host_network"

# Pod Security (docs/operations.md#pod-security), where the API server enforces it (1.25 and later):
# the pod of each Deployment, created by a server dry run in a namespace that enforces `restricted`,
# passes, and the host-network one is refused, so the check is seen to bite. The pods are taken out
# of their ServiceAccounts, which exist in no namespace here; Pod Security does not look at them.
restricted_namespace="$namespace-restricted"
deployment_pods() {
  jq -c --arg ns "$restricted_namespace" '.items[] | select(.kind == "Deployment")
    | {apiVersion: "v1", kind: "Pod", metadata: {name: .metadata.name, namespace: $ns},
       spec: (.spec.template.spec | del(.serviceAccountName, .serviceAccount) | .automountServiceAccountToken = false)}' <<<"$1"
}
if ((server_minor >= 25)); then
  kubectl create namespace "$restricted_namespace" >/dev/null
  kubectl label namespace "$restricted_namespace" pod-security.kubernetes.io/enforce=restricted >/dev/null
  while read -r pod; do
    kubectl create --dry-run=server -f - <<<"$pod" >/dev/null || fail "a pod of the chart does not pass restricted"
  done < <(deployment_pods "$accepted")
  while read -r pod; do
    if kubectl create --dry-run=server -f - <<<"$pod" >/dev/null 2>&1; then
      fail "a host-network pod passed restricted: the namespace does not enforce it"
    fi
  done < <(deployment_pods "$accepted_host_network")
else
  echo "chart test: Pod Security not checked: the API server is 1.$server_minor, which enforces it from 1.25"
fi

# The ready-made values of each notebook platform (charts/kernel-secrets/platforms/): the API server
# accepts them; notebook servers get a webhook of their own selector on the injector's route, both
# binaries the same --notebook-server-selector, and the operator the pod rights it then needs.
jq_platform="$jq_flag"'{
  webhooks: [.items[] | select(.kind == "MutatingWebhookConfiguration") | .webhooks[]
    | select(.clientConfig.service.path == "/mutate/pods") | {(.name): .objectSelector}] | add,
  selectors: [.items[] | select(.kind == "Deployment") | .spec.template.spec.containers[0]
    | {(.name): [flag("--kernel-selector"), flag("--notebook-server-selector")]}] | add,
  podRules: [.items[] | select(.kind == "ClusterRole" and (.metadata.name | endswith("-operator"))) | .rules[]
    | select(.resources == ["pods"]) | .verbs]}'
platform_objects() {
  local rendered
  rendered="$(render --validate --set crds.install=false -f "$chart/platforms/$1.yaml")"
  kubectl apply --dry-run=server -n "$namespace" -o json -f - <<<"$rendered" ||
    fail "the API server refused a rendered object with platforms/$1.yaml"
}
expect_json "JupyterHub's values" "$jq_platform" '{
  "webhooks": {"pods.kernelsecrets.dev": {"matchLabels": {"kernelsecrets.dev/inject": "true"}},
    "notebook-servers.kernelsecrets.dev": {"matchLabels": {"component": "singleuser-server"}}},
  "selectors": {"operator": [null, "component=singleuser-server"],
    "injector": ["kernelsecrets.dev/inject=true", "component=singleuser-server"]},
  "podRules": [["list", "watch", "patch"]]}' "$(platform_objects jupyterhub)"
expect_json "Kubeflow's values" "$jq_platform" '{
  "webhooks": {"pods.kernelsecrets.dev": {"matchLabels": {"kernelsecrets.dev/inject": "true"}},
    "notebook-servers.kernelsecrets.dev": {"matchExpressions": [{"key": "notebook-name", "operator": "Exists"}]}},
  "selectors": {"operator": [null, "notebook-name"], "injector": ["kernelsecrets.dev/inject=true", "notebook-name"]},
  "podRules": [["list", "watch", "patch"]]}' "$(platform_objects kubeflow)"
expect_json "Enterprise Gateway's values" "$jq_platform" '{
  "webhooks": {"pods.kernelsecrets.dev": {"matchLabels": {"component": "kernel"}}},
  "selectors": {"operator": [null, null], "injector": ["component=kernel", null]},
  "podRules": []}' "$(platform_objects enterprise-gateway)"

# check_serving_certificates OBJECTS IP: each serving certificate verifies, for a TLS server at IP, against
# its Secret's ca.crt, which is every webhook's caBundle.
check_serving_certificates() {
  local objects=$1 ip=$2 certs name
  certs="$(mktemp -d)"
  jq -r '[.items[] | select(.kind == "Secret" and .type == "kubernetes.io/tls")] | length' <<<"$objects" |
    grep -qx 2 || fail "expected two serving certificates"
  jq -e '[.items[] | select(.kind | endswith("WebhookConfiguration")) | .webhooks[].clientConfig.caBundle]
    - [.items[] | select(.type == "kubernetes.io/tls") | .data["ca.crt"]] == []' <<<"$objects" >/dev/null ||
    fail "a webhook's caBundle is not the CA of the serving certificates"
  for name in $(jq -r '.items[] | select(.type == "kubernetes.io/tls") | .metadata.name' <<<"$objects"); do
    for key in ca.crt tls.crt; do
      jq -r --arg name "$name" --arg key "$key" '.items[] | select(.metadata.name == $name) | .data[$key]' \
        <<<"$objects" | base64 -d >"$certs/$key"
    done
    openssl x509 -in "$certs/tls.crt" -noout -ext subjectAltName | grep -qx "    IP Address:$ip" ||
      fail "$name: the certificate's names are not IP:$ip: $(openssl x509 -in "$certs/tls.crt" -noout -ext subjectAltName)"
    openssl verify -CAfile "$certs/ca.crt" -purpose sslserver -verify_ip "$ip" "$certs/tls.crt" >/dev/null ||
      fail "$name: the certificate does not verify for a server at $ip"
  done
  rm -r "$certs"
}
check_serving_certificates "$accepted_host_network" 127.0.0.1

# The monitoring and cert-manager options (docs/operations.md#monitoring and
# #webhook-certificates-from-cert-manager). Off, as in the default install above: none of their
# objects, and every webhook carries the chart's caBundle and no cert-manager annotation.
expect_json "the default install's monitoring and cert-manager objects" '[.items[]
  | select(.kind == ("ServiceMonitor", "PrometheusRule", "Certificate", "Issuer") or .metadata.labels.grafana_dashboard)
  | .kind]' '[]' "$accepted"
jq_ca_sources='[.items[] | select(.kind | endswith("WebhookConfiguration")) | {key: .metadata.name, value: {
  injectFrom: .metadata.annotations["cert-manager.io/inject-ca-from"], caBundles: [.webhooks[].clientConfig.caBundle | length > 0] | unique}}]
  | group_by(.key) | map({key: .[0].key, value: map(.value)}) | from_entries'
expect_json "the default webhooks' CA" "$jq_ca_sources" '{
  "kernel-secrets-injector": [{"injectFrom": null, "caBundles": [true]}],
  "kernel-secrets-operator": [{"injectFrom": null, "caBundles": [true]}, {"injectFrom": null, "caBundles": [true]}]}' "$accepted"

# refused MESSAGE VALUES...: helm refuses to render with VALUES, saying MESSAGE.
refused() {
  local message=$1 output
  shift
  if output="$("$helm" template "$release" "$chart" -n "$namespace" "$@" 2>&1 >/dev/null)"; then
    fail "rendered with $*, which should be refused ($message)"
  fi
  grep -qF -- "$message" <<<"$output" || fail "rendering with $* failed, but without \"$message\": $output"
}
refused 'webhookCertificates.source must be one of the following: "generated", "certManager"' \
  --set webhookCertificates.source=vault
refused 'webhookCertificates.certManager.issuerRef: name is required' \
  --set webhookCertificates.certManager.issuerRef.kind=ClusterIssuer
refused "metrics.serviceMonitor.interval: Does not match pattern" --set metrics.serviceMonitor.interval=30sec
refused "metrics.prometheusRule.runbookBaseURL: Does not match pattern" \
  --set metrics.prometheusRule.runbookBaseURL=https://wiki.example/ops#alerts
refused "metrics.serviceMonitor needs a DNS name in hostNetwork.webhookHost" \
  "${host_network[@]}" --set metrics.serviceMonitor.enabled=true

# The API server has no Prometheus operator or cert-manager CRDs here. Stand-ins with the fields the
# chart writes (tests/fixtures/chart/README.md) exist while this test runs; cleanup deletes them.
kubectl create -f "$repo_root/tests/fixtures/chart/monitoring-crds.yaml" \
  -f "$repo_root/tests/fixtures/chart/cert-manager-crds.yaml" >/dev/null ||
  fail "could not create the stand-in CRDs: does this cluster have the Prometheus operator's or cert-manager's?"
kubectl wait --for condition=established --timeout=60s crd -l kernelsecrets.dev/test-fixture=chart >/dev/null ||
  fail "the stand-in CRDs were not established"

# dry_run WHAT VALUES...: the objects rendered with VALUES, as the API server accepts them. Objects of
# the stand-in CRDs must come back whole: a field their schemas do not know is pruned, so a
# misspelt one shows here.
dry_run() {
  local what=$1 rendered client server
  shift
  rendered="$(render --validate --set crds.install=false "$@")" || fail "rendering $what"
  client="$(kubectl apply --dry-run=client -n "$namespace" -o json -f - <<<"$rendered")" || fail "$what: not objects"
  server="$(kubectl apply --dry-run=server -n "$namespace" -o json -f - <<<"$rendered")" ||
    fail "the API server refused a rendered object of $what"
  jq -e -s 'map([.items[] | select(.kind == ("ServiceMonitor", "PrometheusRule", "Certificate", "Issuer"))
    | {kind, name: .metadata.name, spec}]) | .[0] == .[1]' <<<"$server"$'\n'"$client" >/dev/null ||
    fail "$what: the API server pruned a field of a ServiceMonitor, PrometheusRule, Certificate or Issuer"
  echo "$server"
}
monitoring=(--set metrics.serviceMonitor.enabled=true --set metrics.serviceMonitor.labels.release=prometheus
  --set metrics.prometheusRule.enabled=true --set metrics.prometheusRule.labels.release=prometheus
  --set metrics.dashboard.enabled=true)
operator_name="$release-kernel-secrets-operator"
injector_name="$release-kernel-secrets-injector"

# ServiceMonitors: one per component, selected by the Prometheus' label, scraping the Service's https
# port with the CA of the component's serving Secret and a name its certificate holds.
monitored="$(dry_run "the monitoring options" "${monitoring[@]}")"
jq_monitors='[.items[] | select(.kind == "ServiceMonitor") | .spec.endpoints[0] as $e | {key: .metadata.name, value: {
  release: .metadata.labels.release, component: .spec.selector.matchLabels["app.kubernetes.io/component"],
  namespaces: .spec.namespaceSelector.matchNames, port: $e.port, scheme: $e.scheme, path: $e.path,
  serverName: $e.tlsConfig.serverName, ca: $e.tlsConfig.ca.secret}}] | from_entries'
expect_json "the ServiceMonitors" "$jq_monitors" "{
  \"$operator_name\": {\"release\": \"prometheus\", \"component\": \"operator\", \"namespaces\": [\"$namespace\"],
    \"port\": \"https\", \"scheme\": \"https\", \"path\": \"/metrics\", \"serverName\": \"$operator_name.$namespace.svc\",
    \"ca\": {\"name\": \"$operator_name-tls\", \"key\": \"ca.crt\"}},
  \"$injector_name\": {\"release\": \"prometheus\", \"component\": \"injector\", \"namespaces\": [\"$namespace\"],
    \"port\": \"https\", \"scheme\": \"https\", \"path\": \"/metrics\", \"serverName\": \"$injector_name.$namespace.svc\",
    \"ca\": {\"name\": \"$injector_name-tls\", \"key\": \"ca.crt\"}}}" "$monitored"
for name in "$operator_name" "$injector_name"; do
  jq -e --arg name "$name" '[.items[] | select(.kind == "Service" and .metadata.name == $name) | .spec.ports[].name] == ["https"]' \
    <<<"$monitored" >/dev/null || fail "the Service $name has no port https for its ServiceMonitor"
  jq -r --arg name "$name-tls" '.items[] | select(.kind == "Secret" and .metadata.name == $name) | .data["tls.crt"]' <<<"$monitored" |
    base64 -d | openssl x509 -noout -ext subjectAltName | grep -q "DNS:$name.$namespace.svc\(,\|$\)" ||
    fail "the certificate of $name does not hold the ServiceMonitor's serverName"
done

# The alerts: each has a summary, a description and a runbook_url at its own section of
# docs/operations.md; promtool finds the rules valid and passes their unit tests (alerts_test.yaml).
jq_alerts='[.items[] | select(.kind == "PrometheusRule") | {release: .metadata.labels.release, rules: [.spec.groups[].rules[]]}]'
expect_json "the PrometheusRule" "$jq_alerts"' | map({release, wellFormed: (.rules | map((.annotations | has("summary") and has("description"))
  and .annotations.runbook_url == "https://github.com/kernel-secrets/kernel-secrets/blob/main/docs/operations.md#\(.alert | ascii_downcase)") | all)})' \
  '[{"release": "prometheus", "wellFormed": true}]' "$monitored"
for alert in $(jq -r "$jq_alerts"' | .[].rules[].alert' <<<"$monitored"); do
  grep -qx "#### $alert" "$repo_root/docs/operations.md" || fail "alert $alert has no runbook section in docs/operations.md"
done
command -v promtool >/dev/null || fail "promtool is missing (Debian's prometheus; scripts/install-deps installs it)"
scratch="$(mktemp -d)"
"$helm" template kernel-secrets "$chart" -n kernel-secrets --set metrics.prometheusRule.enabled=true \
  --show-only templates/prometheusrule.yaml | kubectl apply --dry-run=client -o json -f - | jq '.spec' >"$scratch/rules.json"
cp "$repo_root/tests/chart/alerts_test.yaml" "$scratch/"
promtool check rules "$scratch/rules.json" >/dev/null || fail "promtool refuses the alert rules: $(promtool check rules "$scratch/rules.json" 2>&1)"
(cd "$scratch" && promtool test rules alerts_test.yaml >"$scratch/promtool.log" 2>&1) ||
  fail "the alerts' unit tests failed: $(cat "$scratch/promtool.log")"

# The dashboard: a ConfigMap with the sidecar's label, holding JSON whose every query uses the
# datasource variable.
expect_json "the dashboard ConfigMap" '[.items[] | select(.kind == "ConfigMap" and .metadata.labels.grafana_dashboard == "1")
  | {name: .metadata.name, keys: (.data | keys)}]' "[{\"name\": \"$release-kernel-secrets-dashboard\", \"keys\": [\"kernel-secrets.json\"]}]" "$monitored"
jq -r '.items[] | select(.kind == "ConfigMap" and .metadata.labels.grafana_dashboard == "1") | .data["kernel-secrets.json"]' <<<"$monitored" |
  jq -e '([.templating.list[] | select(.type == "datasource" and .name == "datasource")] | length == 1)
    and ([.panels[] | .datasource.uid, .targets[].datasource.uid] | unique == ["${datasource}"])
    and (.panels | length >= 12)' >/dev/null || fail "the dashboard is not valid JSON using the datasource variable"

# cert-manager: a self-signed Issuer, the CA Certificate and its Issuer, a serving Certificate per
# component for its Service's names; the pods mount cert-manager's Secrets, and cert-manager's CA
# injector sets the webhooks' caBundles: none rendered, no generated Secret.
cert_manager=(--set webhookCertificates.source=certManager)
jq_cert_manager='{
  issuers: [.items[] | select(.kind == "Issuer") | {(.metadata.name): .spec}] | add,
  certificates: [.items[] | select(.kind == "Certificate") | {(.metadata.name): {secretName: .spec.secretName, isCA: (.spec.isCA // false),
    dnsNames: .spec.dnsNames, ipAddresses: .spec.ipAddresses, issuer: .spec.issuerRef}}] | add,
  generatedSecrets: [.items[] | select(.type == "kubernetes.io/tls") | .metadata.name],
  mounted: [.items[] | select(.kind == "Deployment") | .spec.template.spec.volumes[] | select(.name == "tls") | .secret.secretName] | sort,
  monitorCAs: [.items[] | select(.kind == "ServiceMonitor") | .spec.endpoints[0].tlsConfig.ca.secret.name] | sort}'
ca_issuer="{\"name\": \"$release-kernel-secrets-webhook-ca\", \"kind\": \"Issuer\", \"group\": \"cert-manager.io\"}"
issued="$(dry_run "the cert-manager option" "${cert_manager[@]}" "${monitoring[@]}")"
expect_json "the cert-manager objects" "$jq_cert_manager" "{
  \"issuers\": {\"$release-kernel-secrets-selfsigned\": {\"selfSigned\": {}},
    \"$release-kernel-secrets-webhook-ca\": {\"ca\": {\"secretName\": \"$release-kernel-secrets-webhook-ca\"}}},
  \"certificates\": {
    \"$release-kernel-secrets-webhook-ca\": {\"secretName\": \"$release-kernel-secrets-webhook-ca\", \"isCA\": true,
      \"dnsNames\": null, \"ipAddresses\": null,
      \"issuer\": {\"name\": \"$release-kernel-secrets-selfsigned\", \"kind\": \"Issuer\", \"group\": \"cert-manager.io\"}},
    \"$operator_name\": {\"secretName\": \"$operator_name-serving-cert\", \"isCA\": false,
      \"dnsNames\": [\"$operator_name.$namespace.svc\", \"$operator_name.$namespace.svc.cluster.local\"], \"ipAddresses\": null,
      \"issuer\": $ca_issuer},
    \"$injector_name\": {\"secretName\": \"$injector_name-serving-cert\", \"isCA\": false,
      \"dnsNames\": [\"$injector_name.$namespace.svc\", \"$injector_name.$namespace.svc.cluster.local\"], \"ipAddresses\": null,
      \"issuer\": $ca_issuer}},
  \"generatedSecrets\": [],
  \"mounted\": [\"$injector_name-serving-cert\", \"$operator_name-serving-cert\"],
  \"monitorCAs\": [\"$injector_name-serving-cert\", \"$operator_name-serving-cert\"]}" "$issued"
cert_manager_ca_sources="{
  \"kernel-secrets-injector\": [{\"injectFrom\": \"$namespace/$injector_name\", \"caBundles\": [false]}],
  \"kernel-secrets-operator\": [{\"injectFrom\": \"$namespace/$operator_name\", \"caBundles\": [false]},
    {\"injectFrom\": \"$namespace/$operator_name\", \"caBundles\": [false]}]}"
expect_json "the cert-manager webhooks' CA" "$jq_ca_sources" "$cert_manager_ca_sources" "$issued"

# With an issuer of the cluster's: no Issuer or CA of the chart's; on the host network: the webhook
# host as an IP address, the webhooks still called at their URLs.
issued="$(dry_run "the cert-manager option with an issuer and the host network" "${cert_manager[@]}" "${host_network[@]}" \
  --set webhookCertificates.certManager.issuerRef.name=corporate-ca --set webhookCertificates.certManager.issuerRef.kind=ClusterIssuer)"
corporate_ca='{"name": "corporate-ca", "kind": "ClusterIssuer", "group": "cert-manager.io"}'
expect_json "the cert-manager objects with an issuer, on the host network" "$jq_cert_manager" "{
  \"issuers\": null,
  \"certificates\": {
    \"$operator_name\": {\"secretName\": \"$operator_name-serving-cert\", \"isCA\": false, \"dnsNames\": null,
      \"ipAddresses\": [\"127.0.0.1\"], \"issuer\": $corporate_ca},
    \"$injector_name\": {\"secretName\": \"$injector_name-serving-cert\", \"isCA\": false, \"dnsNames\": null,
      \"ipAddresses\": [\"127.0.0.1\"], \"issuer\": $corporate_ca}},
  \"generatedSecrets\": [],
  \"mounted\": [\"$injector_name-serving-cert\", \"$operator_name-serving-cert\"],
  \"monitorCAs\": []}" "$issued"
expect_json "the cert-manager webhooks' CA on the host network" "$jq_ca_sources" "$cert_manager_ca_sources" "$issued"
expect_json "the cert-manager webhooks on the host network" "$jq_webhooks" "$(jq -c "$jq_webhooks" <<<"$accepted_host_network")" "$issued"

# On the host network with a DNS webhook host, a ServiceMonitor gets Services of its own, in front of
# the node's ports, and checks the certificates against that host.
monitored="$(dry_run "the monitoring options on the host network" "${host_network[@]}" \
  --set hostNetwork.webhookHost=node.example --set metrics.serviceMonitor.enabled=true)"
expect_json "the ServiceMonitors on the host network" '[.items[] | select(.kind == "Service" or .kind == "ServiceMonitor")
  | {kind, name: .metadata.name, targetPort: .spec.ports[0].targetPort, serverName: .spec.endpoints[0].tlsConfig.serverName}]
  | sort_by(.kind, .name)' "[
  {\"kind\": \"Service\", \"name\": \"$injector_name\", \"targetPort\": 19444, \"serverName\": null},
  {\"kind\": \"Service\", \"name\": \"$operator_name\", \"targetPort\": 19443, \"serverName\": null},
  {\"kind\": \"ServiceMonitor\", \"name\": \"$injector_name\", \"targetPort\": null, \"serverName\": \"node.example\"},
  {\"kind\": \"ServiceMonitor\", \"name\": \"$operator_name\", \"targetPort\": null, \"serverName\": \"node.example\"}]" "$monitored"
kubectl delete crd -l kernelsecrets.dev/test-fixture=chart >/dev/null

# Install, upgrade and uninstall for real, checking the objects only: the release's image is never
# pulled, so its pods never start (the chart running on the node is tests/chart_install/'s, in
# scripts/test's chart round). CRDs stay with local-up, which installed them before this release.
objects_only=(--set crds.install=false --set image.pullPolicy=Never)
secret_data() { kubectl get secret "$1" -n "$namespace" -o jsonpath='{.data}'; }
"$helm" install "$release" "$chart" -n "$namespace" "${objects_only[@]}" >/dev/null ||
  fail "helm install"
keyring="$(secret_data "$release-kernel-secrets-keyring")"
operator_tls="$(secret_data "$release-kernel-secrets-operator-tls")"
[[ -n "$keyring" && -n "$operator_tls" ]] || fail "install created no keyring or no serving certificate"

"$helm" upgrade "$release" "$chart" -n "$namespace" "${objects_only[@]}" --set injector.replicas=3 >/dev/null ||
  fail "helm upgrade"
[[ "$(secret_data "$release-kernel-secrets-keyring")" == "$keyring" ]] || fail "upgrade changed the keyring"
[[ "$(secret_data "$release-kernel-secrets-operator-tls")" == "$operator_tls" ]] ||
  fail "upgrade changed the operator's serving certificate"

# What each binary asks of the API server, its ServiceAccount may do; the injector writes nothing.
# can COMPONENT NAMESPACE "VERB RESOURCE [FLAGS]": whether that component's ServiceAccount may.
can() {
  local -a request
  read -ra request <<<"$3"
  kubectl auth can-i --as "system:serviceaccount:$namespace:$release-kernel-secrets-$1" -n "$2" "${request[@]}" \
    >/dev/null 2>&1
}
for request in "list namespaces" "watch namespaces" "watch secrets.kernelsecrets.dev" "update secrets.kernelsecrets.dev" \
  "patch secrets.kernelsecrets.dev --subresource=status" "patch secretshares.kernelsecrets.dev" \
  "patch secretshares.kernelsecrets.dev --subresource=status" "delete secretshares.kernelsecrets.dev" \
  "create subjectaccessreviews.authorization.k8s.io" \
  "watch secrets" "create secrets" "update secrets/kernel-secrets" "delete secrets/kernel-secrets" \
  "create events" "patch events"; do
  can operator team-a "$request" || fail "the operator's ServiceAccount may not $request"
done
for request in "create leases.coordination.k8s.io" "update leases.coordination.k8s.io/kernel-secrets-operator"; do
  can operator "$namespace" "$request" || fail "the operator's ServiceAccount may not $request in $namespace"
done
# The operator's patches of its finalizer on a SecretShare pass its own share webhook, which asks, as
# for any author, whether it may share into the community. Asked as the webhook asks (kubectl auth
# can-i does not know the verb share on a resource that is not served).
operator_may_share="$(kubectl create -o jsonpath='{.status.allowed}' -f - <<EOF
{"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview", "spec": {
  "user": "system:serviceaccount:$namespace:$release-kernel-secrets-operator",
  "groups": ["system:serviceaccounts", "system:serviceaccounts:$namespace", "system:authenticated"],
  "resourceAttributes": {"verb": "share", "group": "kernelsecrets.dev", "resource": "communities", "name": "physics"}}}
EOF
)"
[[ "$operator_may_share" == true ]] || fail "the operator's ServiceAccount may not share into a community"
# Least privilege: nothing the code never calls (docs/security-model.md#who-can-do-what).
for request in "update secrets/other" "delete secrets/other" "get secrets/other" "patch secrets/kernel-secrets" \
  "get secrets.kernelsecrets.dev" "update secretshares.kernelsecrets.dev" "get namespaces" "list pods"; do
  ! can operator team-a "$request" || fail "the operator's ServiceAccount may $request"
done
for request in "list secrets" "watch secrets"; do
  can injector team-a "$request" || fail "the injector's ServiceAccount may not $request"
done
for request in "get secrets/kernel-secrets" "create secrets" "patch secrets/kernel-secrets" "create events"; do
  ! can injector team-a "$request" || fail "the injector's ServiceAccount may $request"
done

# Switching to the host network changes the names the webhooks are called by: new serving
# certificates, for the IP; kept on the next upgrade.
"$helm" upgrade "$release" "$chart" -n "$namespace" "${objects_only[@]}" "${host_network[@]}" >/dev/null ||
  fail "helm upgrade to the host network"
[[ "$(secret_data "$release-kernel-secrets-operator-tls")" != "$operator_tls" ]] ||
  fail "the upgrade to the host network kept certificates that name the Service"
installed="$(kubectl get -o json -n "$namespace" "secret/$release-kernel-secrets-operator-tls" \
  "secret/$release-kernel-secrets-injector-tls" \
  mutatingwebhookconfiguration/kernel-secrets-operator mutatingwebhookconfiguration/kernel-secrets-injector \
  validatingwebhookconfiguration/kernel-secrets-operator)"
check_serving_certificates "$installed" 127.0.0.1
expect_json "the installed host-network webhooks" "$jq_webhooks" "$(jq -c "$jq_webhooks" <<<"$accepted_host_network")" \
  "$installed"
operator_tls="$(secret_data "$release-kernel-secrets-operator-tls")"
"$helm" upgrade "$release" "$chart" -n "$namespace" "${objects_only[@]}" "${host_network[@]}" >/dev/null ||
  fail "helm upgrade on the host network"
[[ "$(secret_data "$release-kernel-secrets-operator-tls")" == "$operator_tls" ]] ||
  fail "an upgrade on the host network changed the operator's serving certificate"
[[ -z "$(kubectl get service -n "$namespace" -l "app.kubernetes.io/instance=$release" -o name)" ]] ||
  fail "the upgrade to the host network left the Services"

"$helm" uninstall "$release" -n "$namespace" --wait >/dev/null || fail "helm uninstall"
[[ "$(secret_data "$release-kernel-secrets-keyring")" == "$keyring" ]] ||
  fail "uninstall deleted the keyring, without which no stored value can be read"

echo "chart test: passed"
