//! Publishing by FTP to a real pure-ftpd on 127.0.0.1, the password from the environment.

use super::ftp_server::{FtpServer, PASSWORD};
use super::*;

const ENV: &[(&str, &str)] = &[("BROCHURE_FTP_PASSWORD", PASSWORD)];

#[test]
#[ignore = "needs pure-ftpd"]
fn ftp_publishes_the_site_incrementally() {
    let server = FtpServer::start();
    first_second_and_deleting_publishes(&server.target(), &server.www(), ENV);
}

#[test]
#[ignore = "needs pure-ftpd"]
fn an_interrupted_ftp_publish_is_finished_by_the_next() {
    let server = FtpServer::start();
    an_interrupted_publish_is_finished_by_the_next(&server.target(), &server.www(), ENV);
}

#[test]
#[ignore = "needs pure-ftpd"]
fn an_ftp_dry_run_changes_nothing() {
    let server = FtpServer::start();
    a_dry_run_changes_nothing(&server.target(), &server.www(), ENV);
}

#[test]
#[ignore = "needs pure-ftpd"]
fn ftp_without_a_password_says_where_to_give_it() {
    let server = FtpServer::start();
    let p = site();
    let out = publish(&p, &[&server.target()], &[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("no password") && err.contains("BROCHURE_FTP_PASSWORD"), "{err}");
    let out = publish(&p, &[&server.target()], &[("BROCHURE_FTP_PASSWORD", "wrong")]);
    let err = stderr(&out);
    assert!(!out.status.success() && err.contains("refused the login"), "{err}");
    assert!(published(&server.www()).is_empty());
}

#[test]
#[ignore = "needs pure-ftpd"]
fn ftps_publishes_over_tls_and_refuses_an_untrusted_certificate() {
    let server = FtpServer::start_tls();
    let p = site();
    let authority = server.authority().display().to_string();
    let out = publish(&p, &[&server.tls_target()], &[ENV[0], ("SSL_CERT_FILE", authority.as_str())]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_same_site(&p, &server.www());

    let elsewhere = tempfile::tempdir().unwrap();
    let untrusted = elsewhere.path().join("none.pem");
    std::fs::write(&untrusted, "").unwrap();
    p.write(NOTICE, "---\ntitle: \"Avviso\"\n---\nChiuso il 15 agosto.\n");
    let untrusted = untrusted.display().to_string();
    let out = publish(&p, &[&server.tls_target()], &[ENV[0], ("SSL_CERT_FILE", untrusted.as_str())]);
    let err = stderr(&out);
    assert!(!out.status.success() && err.contains("TLS connection") && err.contains("SSL_CERT_FILE"), "{err}");
    let page = std::fs::read_to_string(server.www().join("avviso/index.html")).unwrap();
    assert!(!page.contains("agosto"), "sent to a host whose certificate is not trusted");
}
