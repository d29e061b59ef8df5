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

{{- define "kernel-secrets.kernelSelector" -}}
{{- printf "%s=%s" .Values.kernelSelector.key .Values.kernelSelector.value -}}
{{- end -}}

{{/*
The pod template both webhook servers share: non-root, read-only root file system, no capabilities,
HTTPS on 8443 for webhooks, /metrics, /healthz and /readyz, serving certificate from the component's
TLS Secret. Dict: root, component, values (the component's values), args (after the binary),
volumes and volumeMounts (extra, as lists).
*/}}
{{- define "kernel-secrets.podTemplate" -}}
{{- $name := include "kernel-secrets.componentName" . -}}
metadata:
  labels:
    {{- include "kernel-secrets.selectorLabels" . | nindent 4 }}
  {{- with .values.podAnnotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  serviceAccountName: {{ $name }}
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
      ports:
        - name: https
          containerPort: 8443
          protocol: TCP
      livenessProbe:
        httpGet: {path: /healthz, port: https, scheme: HTTPS}
        periodSeconds: 10
        failureThreshold: 3
      readinessProbe:
        httpGet: {path: /readyz, port: https, scheme: HTTPS}
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
        {{- with .volumeMounts }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
  volumes:
    - name: tls
      secret:
        secretName: {{ $name }}-tls
        defaultMode: 0440
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

{{/* The flags both servers share, one list item per word. Dict: root. */}}
{{- define "kernel-secrets.serverArgs" -}}
- --tls-cert
- /etc/kernel-secrets/tls/tls.crt
- --tls-key
- /etc/kernel-secrets/tls/tls.key
- --bind-address
- 0.0.0.0
- --port
- "8443"
- --log-format
- {{ .root.Values.logFormat }}
{{- end -}}

{{/*
A webhook server's ServiceAccount, Service (443 -> 8443) and PodDisruptionBudget (one pod may be
evicted at a time). Dict: root, component.
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
      targetPort: https
      protocol: TCP
---
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
