// The floor of a pull, one stage at a time, with the libraries berth uses:
// for the gzip blobs named on the command line, the time to inflate them all
// (ISA-L) and to sha256 them and their tars (OpenSSL), each stage alone on
// one core. Writes each blob's tar beside it (NAME.gz -> NAME.tar) for the
// tar -x stage, which bench/registry.sh times itself.
//   g++ -O2 -std=c++20 bench/stage_floor.cpp -o stage_floor -lisal -lcrypto
#include <isa-l/igzip_lib.h>
#include <openssl/evp.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

std::string slurp(const char* path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

std::string inflate_gzip(const std::string& gz) {
  std::string out;
  // The gzip trailer's ISIZE (length mod 2^32): one allocation, no copies.
  if (gz.size() >= 4) out.reserve(static_cast<uint8_t>(gz[gz.size() - 4]) | static_cast<uint8_t>(gz[gz.size() - 3]) << 8 |
                                  static_cast<uint8_t>(gz[gz.size() - 2]) << 16 | static_cast<uint32_t>(static_cast<uint8_t>(gz[gz.size() - 1])) << 24);
  std::vector<uint8_t> buf(1 << 20);
  inflate_state st;
  isal_inflate_init(&st);
  st.crc_flag = ISAL_GZIP;
  st.next_in = reinterpret_cast<uint8_t*>(const_cast<char*>(gz.data()));
  st.avail_in = static_cast<uint32_t>(gz.size());
  while (st.block_state != ISAL_BLOCK_FINISH) {
    st.next_out = buf.data();
    st.avail_out = static_cast<uint32_t>(buf.size());
    if (isal_inflate(&st) < 0) throw std::runtime_error("corrupt gzip");
    out.append(reinterpret_cast<char*>(buf.data()), buf.size() - st.avail_out);
    if (st.avail_in == 0 && st.avail_out != 0 && st.block_state != ISAL_BLOCK_FINISH) throw std::runtime_error("truncated");
  }
  return out;
}

void sha256(const std::string& data) {
  unsigned char md[32];
  unsigned int n;
  EVP_Digest(data.data(), data.size(), md, &n, EVP_sha256(), nullptr);
}

}  // namespace

int main(int argc, char** argv) {
  using Clock = std::chrono::steady_clock;
  std::vector<std::string> blobs, tars;
  for (int i = 1; i < argc; ++i) blobs.push_back(slurp(argv[i]));
  auto t0 = Clock::now();
  for (const std::string& b : blobs) tars.push_back(inflate_gzip(b));
  auto t1 = Clock::now();
  for (size_t i = 0; i < blobs.size(); ++i) {
    sha256(blobs[i]);
    sha256(tars[i]);
  }
  auto t2 = Clock::now();
  for (int i = 1; i < argc; ++i) {
    std::string name = argv[i];
    std::ofstream(name.substr(0, name.size() - 3) + ".tar", std::ios::binary) << tars[static_cast<size_t>(i - 1)];
  }
  auto ms = [](auto a, auto b) { return std::chrono::duration_cast<std::chrono::milliseconds>(b - a).count(); };
  std::printf("%lld %lld\n", static_cast<long long>(ms(t0, t1)), static_cast<long long>(ms(t1, t2)));
}
