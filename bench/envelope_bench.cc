// What envelope encryption costs over plain AEAD: crypto::Seal and crypto::Open of one value against
// a baseline of one raw AES-256-GCM encryption of the same bytes with crypto::aes_gcm::Encrypt, the
// AEAD primitive the envelope is built on, for values of
// 32 B, 1 KiB and 64 KiB. On top of the AEAD, Seal draws a data key and two nonces from the CSPRNG,
// wraps the data key (a second AES-GCM, over 32 bytes) and stamps sealed_at; Open unwraps, then
// decrypts. That fixed work should dominate small values (a few times the baseline) and vanish
// behind large ones (close to 1x). GCM decryption does the same work as encryption, so the one
// baseline serves Open too.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bench/timings.h"
#include "core/common/encoding.h"
#include "core/crypto/aes_gcm.h"
#include "core/crypto/envelope.h"

namespace ks::bench {
namespace {

constexpr std::int64_t kValueSizes[] = {32, 1024, 64 * 1024};

void ValueSizes(benchmark::internal::Benchmark* benchmark) {
  for (std::int64_t size : kValueSizes) benchmark->Arg(size);
}

std::string SizeLabel(std::int64_t bytes) {
  return bytes < 1024 ? std::to_string(bytes) + " B" : std::to_string(bytes / 1024) + " KiB";
}

const std::string kKeyBytes(crypto::SecretKey::kSize, 'k');
const std::string kAssociatedData = crypto::AssociatedDataFor("bench-project", "bench-secret");

StatusOr<crypto::Keyring> BenchKeyring() {
  return crypto::Keyring::Parse("active: bench\nkeys:\n  - id: bench\n    secret: " + Base64Encode(kKeyBytes) + "\n");
}

// The baseline: one AES-256-GCM encryption with the primitive the envelope itself uses, as an
// application without envelopes would encrypt a value.
void BM_RawAesGcm(benchmark::State& state) {
  StatusOr<crypto::SecretKey> key = crypto::SecretKey::FromBytes(kKeyBytes);
  if (!key.ok()) return state.SkipWithError(key.status().ToString().c_str());
  const std::string value(state.range(0), 'v');
  // One nonce for every iteration: the ciphertexts are thrown away, and GCM's cost depends on
  // neither key nor nonce.
  const std::string nonce(crypto::aes_gcm::kNonceSize, 'n');
  for (auto _ : state) {
    StatusOr<std::string> sealed = crypto::aes_gcm::Encrypt(*key, nonce, value, kAssociatedData);
    if (!sealed.ok()) return state.SkipWithError(sealed.status().ToString().c_str());
    benchmark::DoNotOptimize(sealed);
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_RawAesGcm)->Apply(ValueSizes);

void BM_Seal(benchmark::State& state) {
  StatusOr<crypto::Keyring> keyring = BenchKeyring();
  if (!keyring.ok()) return state.SkipWithError(keyring.status().ToString().c_str());
  const std::string value(state.range(0), 'v');
  for (auto _ : state) {
    StatusOr<crypto::SealedValue> sealed = crypto::Seal(*keyring, value, kAssociatedData);
    if (!sealed.ok()) return state.SkipWithError(sealed.status().ToString().c_str());
    benchmark::DoNotOptimize(sealed);
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Seal)->Apply(ValueSizes);

void BM_Open(benchmark::State& state) {
  StatusOr<crypto::Keyring> keyring = BenchKeyring();
  if (!keyring.ok()) return state.SkipWithError(keyring.status().ToString().c_str());
  StatusOr<crypto::SealedValue> sealed = crypto::Seal(*keyring, std::string(state.range(0), 'v'), kAssociatedData);
  if (!sealed.ok()) return state.SkipWithError(sealed.status().ToString().c_str());
  for (auto _ : state) {
    StatusOr<std::string> opened = crypto::Open(*keyring, *sealed, kAssociatedData);
    if (!opened.ok()) return state.SkipWithError(opened.status().ToString().c_str());
    benchmark::DoNotOptimize(opened);
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Open)->Apply(ValueSizes);

void PrintRatios(const Timings& timings) {
  std::vector<std::vector<std::string>> rows;
  for (std::int64_t size : kValueSizes) {
    const std::optional<double> raw = timings.Nanos("BM_RawAesGcm", size);
    const std::optional<double> seal = timings.Nanos("BM_Seal", size);
    const std::optional<double> open = timings.Nanos("BM_Open", size);
    rows.push_back(
        {SizeLabel(size), Duration(raw), Duration(seal), Ratio(seal, raw), Duration(open), Ratio(open, raw)});
  }
  PrintTable("Envelope encryption against one raw AES-256-GCM encryption (CPU time per value)",
             {"value", "raw AES-GCM", "Seal", "Seal/raw", "Open", "Open/raw"}, rows);
}

}  // namespace
}  // namespace ks::bench

int main(int argc, char** argv) { return ks::bench::RunBenchmarksThenPrintRatios(argc, argv, ks::bench::PrintRatios); }
