{{/* Names: "<release>" when it already holds the chart's name, else "<release>-kernel-secrets". */}}
{{- define "kernel-secrets.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The name of a component's objects: Deployment, Service, ServiceAccount, PDB. Dict: root, component. */}}
{{- define "kernel-secrets.componentName" -}}
{{- printf "%s-%s" (include "kernel-secrets.fullname" .root) .component -}}
{{- end -}}

{{- define "kernel-secrets.keyringSecretName" -}}
{{- .Values.keyring.existingSecret | default (printf "%s-keyring" (include "kernel-secrets.fullname" .)) -}}
{{- end -}}

{{- /*
"true" when the API server checks the CRDs' CEL rules (x-kubernetes-validations, 1.25 and later):
the CRDs keep them, and they take the place of the validating Secret webhook.
*/ -}}
{{- define "kernel-secrets.hasCelRules" -}}
{{- if semverCompare ">=1.25-0" .Capabilities.KubeVersion.Version }}true{{ end }}
{{- end }}

{{- define "kernel-secrets.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Dict: root, component. */}}
{{- define "kernel-secrets.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "kernel-secrets.componentLabels" -}}
{{ include "kernel-secrets.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "kernel-secrets.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{/*
A label selector (matchLabels, matchExpressions) in the text form the binaries' --kernel-selector and
--notebook-server-selector take (core/kube/label_selector.h): the same requirements, so that a
webhook's objectSelector and its binary's own check select the same pods. Empty for an empty selector.
*/}}
{{- define "kernel-secrets.selectorText" -}}
{{- $requirements := list }}
{{- range $key, $value := .matchLabels }}
{{- $requirements = append $requirements (printf "%s=%s" $key $value) }}
{{- end }}
{{- range .matchExpressions }}
{{- if eq .operator "In" }}
{{- $requirements = append $requirements (printf "%s in (%s)" .key (join "," .values)) }}
{{- else if eq .operator "NotIn" }}
{{- $requirements = append $requirements (printf "%s notin (%s)" .key (join "," .values)) }}
{{- else if eq .operator "Exists" }}
{{- $requirements = append $requirements .key }}
{{- else }}
{{- $requirements = append $requirements (printf "!%s" .key) }}
{{- end }}
{{- end }}
{{- join "," $requirements -}}
{{- end -}}

{{/* kernelSelector, or its default when empty, as YAML. */}}
{{- define "kernel-secrets.kernelSelectorYaml" -}}
{{- .Values.kernelSelector | default (dict "matchLabels" (dict "kernelsecrets.dev/inject" "true")) | toYaml -}}
{{- end -}}

{{- define "kernel-secrets.kernelSelector" -}}
{{- include "kernel-secrets.selectorText" (include "kernel-secrets.kernelSelectorYaml" . | fromYaml) -}}
{{- end -}}

{{- define "kernel-secrets.notebookServerSelector" -}}
{{- include "kernel-secrets.selectorText" .Values.notebookServers.selector -}}
{{- end -}}

{{/* The --notebook-server-selector flag and its value, or nothing. */}}
{{- define "kernel-secrets.notebookServerArgs" -}}
{{- $selector := include "kernel-secrets.notebookServerSelector" . }}
{{- if $selector }}
{{- list "--notebook-server-selector" $selector | toYaml }}
{{- else }}
{{- list | toYaml }}
{{- end }}
{{- end -}}

{{/*
Host network (values hostNetwork): for clusters whose API server cannot reach the pod network. The
pods share their node's network on hostNetwork.<component>Port, and the webhooks call
https://<webhookHost>:<port>/<path> instead of a Service.
*/}}

{{/*
Whether hostNetwork.webhookHost is an IP address: the schema allows a dotted quad or a DNS name whose
last label starts with a letter, so digits and dots alone are an address.
*/}}
{{- define "kernel-secrets.webhookHostIsIP" -}}
{{- if regexMatch "^[0-9.]+$" .Values.hostNetwork.webhookHost }}true{{ end -}}
{{- end -}}

{{/* The port a component serves HTTPS on. Dict: root, component. */}}
{{- define "kernel-secrets.port" -}}
{{- if .root.Values.hostNetwork.enabled -}}
{{- index .root.Values.hostNetwork (printf "%sPort" .component) -}}
{{- else -}}
8443
{{- end -}}
{{- end -}}

{{/*
The address the servers bind. In a pod's own network namespace, every address. On the host network
with an IP webhookHost, only that address (127.0.0.1 when the API server runs on the node), so that
the webhooks are not open on the node's other addresses; with a DNS name, every address, since the
name may resolve to any of them.
*/}}
{{- define "kernel-secrets.bindAddress" -}}
{{- if and .Values.hostNetwork.enabled (include "kernel-secrets.webhookHostIsIP" .) -}}
{{- .Values.hostNetwork.webhookHost -}}
{{- else -}}
0.0.0.0
{{- end -}}
{{- end -}}

{{/*
The names a component's serving certificate holds, as JSON {"ips": [...], "dns": [...]}, the two
lists genSignedCert takes: the Service's DNS names, or on the host network the webhook host as an IP
or a DNS name, whichever the API server will check the certificate against. Dict: root, component.
*/}}
{{- define "kernel-secrets.servingNames" -}}
{{- $values := .root.Values -}}
{{- if not $values.hostNetwork.enabled -}}
{{- $service := printf "%s.%s.svc" (include "kernel-secrets.componentName" .) .root.Release.Namespace -}}
{{- dict "ips" list "dns" (list $service (printf "%s.cluster.local" $service)) | toJson -}}
{{- else if include "kernel-secrets.webhookHostIsIP" .root -}}
{{- dict "ips" (list $values.hostNetwork.webhookHost) "dns" list | toJson -}}
{{- else -}}
{{- dict "ips" list "dns" (list $values.hostNetwork.webhookHost) | toJson -}}
{{- end -}}
{{- end -}}

{{/* The name a client checks a component's serving certificate against: its first name. Dict: root, component. */}}
{{- define "kernel-secrets.serverName" -}}
{{- $names := include "kernel-secrets.servingNames" . | fromJson -}}
{{- concat $names.dns $names.ips | first -}}
{{- end -}}

{{/*
Serving certificates (values webhookCertificates): generated by the chart (templates/webhooks.yaml),
or issued by cert-manager (templates/cert-manager.yaml) into a Secret of another name, so that
switching never has Helm and cert-manager writing one Secret.
*/}}
{{- define "kernel-secrets.certManager" -}}
{{- if eq .Values.webhookCertificates.source "certManager" }}true{{ end -}}
{{- end -}}

{{/* The Secret holding a component's tls.crt, tls.key and ca.crt. Dict: root, component. */}}
{{- define "kernel-secrets.servingSecretName" -}}
{{- include "kernel-secrets.componentName" . -}}
{{- if include "kernel-secrets.certManager" .root }}-serving-cert{{ else }}-tls{{ end -}}
{{- end -}}

{{/*
The annotations of a component's webhook configurations: with cert-manager, its CA injector fills
in every caBundle from the component's Certificate. Dict: root, component.
*/}}
{{- define "kernel-secrets.webhookConfigurationAnnotations" -}}
{{- if include "kernel-secrets.certManager" .root -}}
annotations:
  cert-manager.io/inject-ca-from: {{ printf "%s/%s" .root.Release.Namespace (include "kernel-secrets.componentName" .) }}
{{- end -}}
{{- end -}}

{{/* A webhook's clientConfig; no caBundle when cert-manager injects it. Dict: root, component, path, caBundle. */}}
{{- define "kernel-secrets.webhookClientConfig" -}}
{{- if .root.Values.hostNetwork.enabled -}}
url: https://{{ .root.Values.hostNetwork.webhookHost }}:{{ include "kernel-secrets.port" . }}{{ .path }}
{{- else -}}
service: {name: {{ include "kernel-secrets.componentName" . }}, namespace: {{ .root.Release.Namespace }}, path: {{ .path }}, port: 443}
{{- end }}
{{- with .caBundle }}
caBundle: {{ . }}
{{- end }}
{{- end -}}

{{/*
Whether the components have Services: always in their own network; on the host network only for a
ServiceMonitor, which finds its targets through one (the webhooks name a URL there).
*/}}
{{- define "kernel-secrets.hasService" -}}
{{- if or (not .Values.hostNetwork.enabled) .Values.metrics.serviceMonitor.enabled }}true{{ end -}}
{{- end -}}

{{/*
The pod template both webhook servers share: non-root, read-only root file system, no capabilities,
HTTPS for webhooks, /metrics, /healthz and /readyz (port 8443, or the host network's), serving
certificate from the component's TLS Secret. Dict: root, component, values (the component's
values), args (after the binary), env, volumes and volumeMounts (extra, as lists).
*/}}
{{- define "kernel-secrets.podTemplate" -}}
{{- $name := include "kernel-secrets.componentName" . -}}
{{- $hostNetwork := .root.Values.hostNetwork.enabled -}}
{{- $probe := dict "port" (include "kernel-secrets.port" . | int) "scheme" "HTTPS" -}}
{{- $bindAddress := include "kernel-secrets.bindAddress" .root -}}
{{- if ne $bindAddress "0.0.0.0" -}}
{{- /* The kubelet probes the pod IP unless told otherwise, and the server listens on this address only. */ -}}
{{- $_ := set $probe "host" $bindAddress -}}
{{- end -}}
{{- $env := .env | default list -}}
{{- with .root.Values.apiServer.host -}}
{{- /*
The API server as these pods reach it, instead of the `kubernetes` Service that the kubelet's
KUBERNETES_SERVICE_* variables name; a container's own env wins over those.
*/ -}}
{{- $env = concat (list
      (dict "name" "KUBERNETES_SERVICE_HOST" "value" .)
      (dict "name" "KUBERNETES_SERVICE_PORT" "value" ($.root.Values.apiServer.port | toString))) $env -}}
{{- end -}}
metadata:
  labels:
    {{- include "kernel-secrets.selectorLabels" . | nindent 4 }}
  {{- with .values.podAnnotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  serviceAccountName: {{ $name }}
  # Above the servers' drain on SIGTERM (--drain-timeout, 5 s) and the operator's stop of its
  # controller and Lease.
  terminationGracePeriodSeconds: 30
  {{- if $hostNetwork }}
  hostNetwork: true
  # Cluster names resolve as in any other pod, not with the node's resolver.
  dnsPolicy: ClusterFirstWithHostNet
  {{- end }}
  {{- with .root.Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .values.priorityClassName }}
  priorityClassName: {{ . }}
  {{- end }}
  securityContext:
    runAsNonRoot: true
    runAsUser: 65532
    runAsGroup: 65532
    fsGroup: 65532
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: {{ .component }}
      image: {{ include "kernel-secrets.image" .root }}
      imagePullPolicy: {{ .root.Values.image.pullPolicy }}
      command: [kernel-secrets-{{ .component }}]
      args:
        {{- toYaml .args | nindent 8 }}
      {{- with $env }}
      env:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- /*
      No ports on the host network: there a containerPort's hostPort defaults to the same number, and
      the scheduler would keep a second replica off a node where the first holds that port. The
      replicas share it with --reuse-port instead.
      */}}
      {{- if not $hostNetwork }}
      ports:
        - name: https
          containerPort: 8443
          protocol: TCP
      {{- end }}
      {{- /*
      The binaries listen only once their caches have synced, and give up after 2 minutes; until
      then nothing answers the probes. The startup probe allows 150 s, so that a slow sync is not
      killed by the liveness probe, and a failed one ends with the binary's own log line.
      */}}
      startupProbe:
        httpGet:
          {{- merge (dict "path" "/healthz") $probe | toYaml | nindent 10 }}
        periodSeconds: 2
        failureThreshold: 75
      livenessProbe:
        httpGet:
          {{- merge (dict "path" "/healthz") $probe | toYaml | nindent 10 }}
        periodSeconds: 10
        failureThreshold: 3
      readinessProbe:
        httpGet:
          {{- merge (dict "path" "/readyz") $probe | toYaml | nindent 10 }}
        periodSeconds: 5
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities:
          drop: [ALL]
      resources:
        {{- toYaml .values.resources | nindent 8 }}
      volumeMounts:
        - name: tls
          mountPath: /etc/kernel-secrets/tls
          readOnly: true
        {{- if .root.Values.webhookClientAuth.enabled }}
        - name: client-ca
          mountPath: /etc/kernel-secrets/client-ca
          readOnly: true
        {{- end }}
        {{- with .volumeMounts }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
  volumes:
    - name: tls
      secret:
        secretName: {{ include "kernel-secrets.servingSecretName" . }}
        defaultMode: 0440
    {{- if .root.Values.webhookClientAuth.enabled }}
    - name: client-ca
      configMap:
        name: {{ include "kernel-secrets.fullname" .root }}-webhook-client-ca
    {{- end }}
    {{- with .volumes }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- with .values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  affinity:
    {{- if .values.affinity }}
    {{- toYaml .values.affinity | nindent 4 }}
    {{- else }}
    # Replicas on different nodes where possible, so that one node's loss leaves a webhook answering.
    podAntiAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
        - weight: 100
          podAffinityTerm:
            topologyKey: kubernetes.io/hostname
            labelSelector:
              matchLabels:
                {{- include "kernel-secrets.selectorLabels" . | nindent 16 }}
    {{- end }}
{{- end -}}

{{/* The flags both servers share, one list item per word. Dict: root, component. */}}
{{- define "kernel-secrets.serverArgs" -}}
- --tls-cert
- /etc/kernel-secrets/tls/tls.crt
- --tls-key
- /etc/kernel-secrets/tls/tls.key
- --bind-address
- {{ include "kernel-secrets.bindAddress" .root }}
- --port
- {{ include "kernel-secrets.port" . | quote }}
{{- if .root.Values.hostNetwork.enabled }}
{{- /* Replicas on one node (and a rolling update's new pod) share the host's port. */}}
- --reuse-port
- "true"
{{- end }}
- --log-format
- {{ .root.Values.logFormat }}
{{- with .root.Values.webhookClientAuth }}
{{- if .enabled }}
- --client-ca
- /etc/kernel-secrets/client-ca/ca.crt
{{- with .names }}
- --client-names
- {{ join "," . | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
A webhook server's ServiceAccount, Service (443 -> 8443) and PodDisruptionBudget (one pod may be
evicted at a time). Dict: root, component.

No Service on the host network unless a ServiceMonitor needs one: the webhooks name a URL, so nothing
else would use it, and where the pods' address is the node's loopback (a node registered as
127.0.0.1) the endpoints controllers could not publish it: Endpoints refuse loopback addresses. The
ServiceMonitor refuses that case (templates/servicemonitor.yaml).
*/}}
{{- define "kernel-secrets.serverObjects" -}}
{{- $name := include "kernel-secrets.componentName" . -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ $name }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "kernel-secrets.componentLabels" . | nindent 4 }}
---
{{- if include "kernel-secrets.hasService" .root }}
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "kernel-secrets.componentLabels" . | nindent 4 }}
spec:
  selector:
    {{- include "kernel-secrets.selectorLabels" . | nindent 4 }}
  ports:
    - name: https
      port: 443
      {{- /* The host network's pods declare no ports to name. */}}
      targetPort: {{ if .root.Values.hostNetwork.enabled }}{{ include "kernel-secrets.port" . }}{{ else }}https{{ end }}
      protocol: TCP
---
{{- end }}
{{- if semverCompare ">=1.21-0" .root.Capabilities.KubeVersion.Version }}
apiVersion: policy/v1
{{- else }}
apiVersion: policy/v1beta1
{{- end }}
kind: PodDisruptionBudget
metadata:
  name: {{ $name }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "kernel-secrets.componentLabels" . | nindent 4 }}
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      {{- include "kernel-secrets.selectorLabels" . | nindent 6 }}
{{- end -}}
