// --change instructions edit a container.Config the way docker import -c does.
#include "dockerfile/config_changes.h"

#include <gtest/gtest.h>

#include "core/error.h"

using berth::Json;

TEST(ConfigChanges, CommandForms) {
  Json c = Json::object();
  berth::apply_config_change(c, R"(CMD ["httpd","-f","-p","80"])");
  EXPECT_EQ(c["Cmd"], Json::array({"httpd", "-f", "-p", "80"}));
  berth::apply_config_change(c, "entrypoint /bin/app --flag");
  EXPECT_EQ(c["Entrypoint"], Json::array({"/bin/sh", "-c", "/bin/app --flag"}));
}

TEST(ConfigChanges, EnvLabelsPortsVolumes) {
  Json c = Json::object();
  berth::apply_config_change(c, "ENV A=1 B=\"two words\"");
  berth::apply_config_change(c, "ENV A=3");
  berth::apply_config_change(c, "ENV LEGACY some value");
  EXPECT_EQ(c["Env"], Json::array({"A=3", "B=two words", "LEGACY=some value"}));
  berth::apply_config_change(c, "LABEL org.example=yes");
  EXPECT_EQ(c["Labels"]["org.example"], "yes");
  berth::apply_config_change(c, "EXPOSE 80 53/udp");
  EXPECT_TRUE(c["ExposedPorts"].contains("80/tcp"));
  EXPECT_TRUE(c["ExposedPorts"].contains("53/udp"));
  berth::apply_config_change(c, R"(VOLUME ["/data"])");
  EXPECT_TRUE(c["Volumes"].contains("/data"));
  berth::apply_config_change(c, "USER 1000:1000");
  berth::apply_config_change(c, "WORKDIR /srv");
  berth::apply_config_change(c, "STOPSIGNAL SIGTERM");
  EXPECT_EQ(c["User"], "1000:1000");
  EXPECT_EQ(c["WorkingDir"], "/srv");
  EXPECT_EQ(c["StopSignal"], "SIGTERM");
}

TEST(ConfigChanges, RefusesWhatIsNotAConfigEdit) {
  Json c = Json::object();
  EXPECT_THROW(berth::apply_config_change(c, "RUN rm -rf /"), berth::Error);
  EXPECT_THROW(berth::apply_config_change(c, "EXPOSE 99999"), berth::Error);
  EXPECT_THROW(berth::apply_config_change(c, "EXPOSE 80/xyz"), berth::Error);
  EXPECT_THROW(berth::apply_config_change(c, "ENV"), berth::Error);
  EXPECT_THROW(berth::apply_config_change(c, "USER"), berth::Error);
}
