/* Pigeon web client, bundled from js/ (go generate). Includes Preact (MIT) and htm (Apache-2.0): vendor/LICENSE-preact.txt, vendor/LICENSE-htm.txt. */
var T,mn,ys,le,bt,Ke,hn,ze,gn,kt,wt,_s,Ie=Symbol.for("pv"),Ve={},Qe=[],vs=/^m(i|n|o|s|text|space)$/,xt=Array.isArray,Ct=Qe.slice,$e=Object.assign;function ge(e){e&&e.parentNode&&e.remove()}function $n(e,t,n){var o,s,a,r={},c=arguments.length;for(a in t)a=="key"?o=t[a]:a=="ref"&&typeof e!="function"?s=t[a]:r[a]=t[a];return c>2&&(r.children=c>3?Ct.call(arguments,2):n),Te(e,r,o,s,null)}function Te(e,t,n,o,s){var a={type:e,props:t,key:n,ref:o,__k:null,__:null,__b:0,__e:null,__c:null,constructor:Ie,__v:s||++mn,__i:-1,__u:0};return!s&&T.vnode&&T.vnode(a),a}function Re(e){return e.children}function ue(e,t){this.props=e,this.context=t,this.__g=0}function pe(e,t){if(t==null)return e.__&&pe(e.__,e.__i+1);for(var n;t<e.__k.length;t++)if((n=e.__k[t])&&n.__e)return n.__e;return typeof e.type!="function"||e.props.__P?null:pe(e)}function bs(e){var t,n=e.__v,o=n.__e,s=[],a=[],r=e.__P;r&&((t=$e({constructor:Ie},n)).__v=n.__v+1,T.vnode&&T.vnode(t),St(r,t,n,e.__n,r.namespaceURI,32&n.__u?[o]:null,s,o||pe(n),32&n.__u,a),t.__v=n.__v,t.__.__k[t.__i]=t,kn(s,t,a),n.__=n.__e=null,t.__e!=o&&yn(t))}function yn(e){if((e=e.__)&&e.__c&&!e.props.__P)return e.__e=null,e.__k.some(function(t){return t&&(e.__e=t.__e)}),yn(e)}function dn(e){(8&e.__g||(e.__g|=8,le.push(e),Ke++))&&bt==T.debounceRendering||((bt=T.debounceRendering)||queueMicrotask)(_n)}function _n(){try{for(var e,t=1;le.length;)le.length>t&&le.sort(hn),e=le.shift(),t=le.length,8&e.__g&&bs(e)}finally{(Ke=le.length)&&(bt||queueMicrotask)(_n)}}function vn(e,t,n,o,s,a,r,c,u,p,l){var m,h,f,y,$,k,x=o.__k||Qe,S=t.length;for(u=ws(n,t,x,u,S),m=0;m<S;m++)(f=n.__k[m])!=null&&(h=~f.__i&&x[f.__i]||Ve,f.__i=m,k=St(e,f,h,s,a,r,c,u,p,l),y=f.__e,(h.ref!=f.ref||8&h.__u)&&(h.ref&&Dt(h.ref,null,f,h),f.ref&&l.push(f.ref,f.__c||y,f)),$=$||y,4&f.__u?(u=bn(f,u,e,!h.__v),h.__e&&(h.__e=null)):typeof f.type=="function"&&k!==void 0?u=k:y&&(u=y.nextSibling),f.__u&=-21);return n.__e=$,u}function ws(e,t,n,o,s){var a,r,c,u,p,l,m,h,f,y=n.length,$=y,k=0,x=0,S=e.__k=Array(s);for(a=0;a<s;a++)(r=t[a])!=null&&typeof r!="boolean"&&typeof r!="function"?(typeof r!="object"||r.constructor===String?r=S[a]=Te(null,r):xt(r)?r=S[a]=Te(Re,{children:r}):r.constructor===Ie&&r.__b?r=S[a]=Te(r.type,r.props,r.key,r.ref,r.__v):S[a]=r,u=a+k,r.__=e,r.__b=e.__b+1,c=null,~(p=r.__i=ks(r,n,u,$))&&($--,(c=n[p])&&(c.__u|=2)),c&&c.__v?(r.__u|=16,p==u-1?k--:p==u+1?k++:p!=u&&(p>u?k--:k++,x=1)):(~p||(s>y?k--:s<y&&k++),typeof r.type!="function"&&(r.__u|=4))):S[a]=null;if(x){for(l=[],m=[],a=0;a<s;a++)if((r=S[a])&&16&r.__u){for(k=0,h=l.length;k<h;)l[f=k+h>>1]<r.__i?k=f+1:h=f;l[k]=r.__i,m[a]=k+1}for(k=l.length;a--;)m[a]&&(m[a]==k?k--:S[a].__u|=4)}if($)for(a=0;a<y;a++)!(c=n[a])||2&c.__u||(c.__e==o&&(o=pe(c)),Mt(c,c));return o}function bn(e,t,n,o){var s,a,r,c;if(typeof e.type=="function"){if(e.props.__P)return t;if(s=e.__k)for(a=0;a<s.length;a++)s[a]&&(s[a].__=e,t=bn(s[a],t,n,!1));return t}for(t&&!t.parentNode&&(t=pe(e))&&!t.parentNode&&(t=null),r=e.__e,c=t;c&&c.nodeType==8;)c=c.nextSibling;for(r!=c&&(!o&&n.moveBefore&&r.parentNode?n.moveBefore(r,t):n.insertBefore(r,t||null)),t=r;(t=t&&t.nextSibling)&&t.nodeType==8&&!t.data.startsWith("$s"););return t}function ks(e,t,n,o){var s,a=e.key,r=e.type,c=t[n],u=c&&!(2&c.__u);if(c===null&&a==null||u&&a==c.key&&r==c.type)return n;if(o>(u?1:0)){for(s=n-1;s>=0;s--)if((c=t[s])&&!(2&c.__u)&&a==c.key&&r==c.type)return s;for(s=n+1;s<t.length;s++)if((c=t[s])&&!(2&c.__u)&&a==c.key&&r==c.type)return s}return-1}function fn(e,t,n){n==null&&(n=""),t[0]=="-"?e.setProperty(t,n):e[t]=n}function Ge(e,t,n,o,s){var a,r;if(t=="style")if(typeof n=="string")e.style.cssText=n;else{if(typeof o=="string"&&(e.style.cssText=o=""),o)for(t in o)n&&t in n||fn(e.style,t);if(n)for(t in n)o&&n[t]==o[t]||fn(e.style,t,n[t])}else if(t[0]=="o"&&t[1]=="n")typeof n!="function"&&(n=null),typeof o!="function"&&(o=null),(e.__e||(e.__e={}))[t]=n,n&&o||(r=wt[t]||(wt[t]=xs(t)),(e.__a||(e.__a={}))[t]=kt,a=t!=(t=t.replace(gn,"$1")),(t=t.slice(2))[0]<"a"&&(t=t.toLowerCase()),n?e.addEventListener(t,r,a):e.removeEventListener(t,r,a));else{if(s=="http://www.w3.org/2000/svg")t=t.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(t!="width"&&t!="height"&&t!="href"&&t!="list"&&t!="form"&&t!="tabIndex"&&t!="download"&&t!="rowSpan"&&t!="colSpan"&&t!="role"&&t!="popover"&&t in e)try{return void(e[t]=n??"")}catch{}if(typeof n=="function")return;n==null||n===!1&&t[4]!="-"?e.removeAttribute(t):e.setAttribute(t,t=="popover"&&n==1?"":n)}}function xs(e){return function(t){var n=this.__e;if(n){if(n=n[e],t[ze]==null)t[ze]=kt++;else if(t[ze]<this.__a[e])return;return n(T.event?T.event(t):t)}}}function St(e,t,n,o,s,a,r,c,u,p){var l,m,h,f,y,$,k,x,S,A,R,ie,He,we,D,pn,ce,he,ee=t.type;if(t.constructor!==Ie)return null;128&n.__u&&(u=32&n.__u,l=n.__c.__z)&&(t.__u|=u,m=a=[],l.nodeType==8?c=Ye(l,a):a.push(l),c=a[0]||c),(l=T.__b)&&l(t);e:if(typeof ee=="function"){h=r.length;try{if(x=t.props,S=(l=ee.prototype)&&l.render,A=(l=ee.contextType)&&o[l.__c],R=l?A?A.props.value:l.__:o,(f=n.__c)?(t.__c=f,2&f.__g&&(f.__g|=1)):(S?t.__c=f=new ee(x,R):(t.__c=f=new ue(x,R),f.constructor=ee,f.render=Ss),A&&A.sub(f),f.state||(f.state={}),f.__n=o,f.__g|=8,f.__h=[],f.__k=[]),S&&(f.__s||(f.__s=f.state),ee.getDerivedStateFromProps&&(f.__s==f.state&&(f.__s=$e({},f.__s)),$e(f.__s,ee.getDerivedStateFromProps(x,f.__s)))),y=f.props,$=f.state,f.__v=t,n.__c){if(x!==y&&S&&!ee.getDerivedStateFromProps&&f.componentWillReceiveProps&&f.componentWillReceiveProps(x,R),t.__v==n.__v&&!(8&f.__g)||!(4&f.__g)&&f.shouldComponentUpdate&&f.shouldComponentUpdate(x,f.__s,R)===!1){t.__v!=n.__v&&(f.props=x,f.state=f.__s,f.__g&=-9),t.__e=n.__e,t.__k=n.__k,t.__k.some(function(V){V&&(V.__=t)}),Qe.push.apply(f.__h,f.__k),f.__k=[],f.__h.length&&r.push(f),c=pe(n);break e}f.componentWillUpdate&&f.componentWillUpdate(x,f.__s,R),S&&f.componentDidUpdate&&f.__h.push(function(){f.componentDidUpdate(y,$,k)})}else S&&!ee.getDerivedStateFromProps&&f.componentWillMount&&f.componentWillMount(),S&&f.componentDidMount&&f.__h.push(f.componentDidMount);f.context=R,f.props=x,f.__P=e,f.__g&=-5,ie=T.__r,He=S?25:0;do f.__g&=-9,ie&&ie(t),l=f.render(f.props,f.state=f.__s,f.context);while(8&f.__g&&++He<25);S&&(Qe.push.apply(f.__h,f.__k),f.__k=[]),f.state=f.__s,f.getChildContext&&(o=$e({},o,f.getChildContext())),S&&n.__c&&f.getSnapshotBeforeUpdate&&(k=f.getSnapshotBeforeUpdate(y,$)),we=l&&l.type===Re&&l.key==null?l.props.children:l,x.__P&&(l=c,s=(e=x.__P).namespaceURI,u=a=null,n.props&&n.props.__P!=e&&(n.__k.some(function(V){V&&Mt(V,V)}),n.__k=null),c=n.__k?pe(n,0):null),c=vn(e,xt(we)?we:[we],t,n,o,s,a,r,c,u,p),x.__P&&(t.__e=null,c=l),t.__u&=-161,m&&m.some(ge),f.__h.length&&r.push(f),1&f.__g&&(f.__g&=-4)}catch(V){if(r.length=h,t.__v=null,u||a)if(V&&V.then){if(t.__u|=128|u,a){for(~(ce=a.indexOf(c||void 0))||(ce=a.length);(he=a[ce-1])&&he.nodeType==8;)ce--;for(;ce<a.length;ce++)if(he=a[ce])if(a[ce]=null,D){if(he==pn)break}else{if(he.nodeType!=8)break;he.data.startsWith("$s")&&(pn=Ye(D=he))}}if(!D){for(;c&&c.nodeType==8&&c.nextSibling;)c=c.nextSibling;D=c}(l=Ye(D=t.__c.__z||(t.__c.__z=D)))?(t.__e=D,c=l):t.__e=c,c=c&&c.nextSibling}else a&&a.some(ge);else t.__e=n.__e;t.__k||(t.__k=n.__k||[]),V&&V.then||wn(t),T.__e(V,t,n)}}else c=t.__e=Cs(n.__e,t,n,o,s,a,r,u,p,e);return(l=T.diffed)&&l(t),c}function Ye(e,t){if(e&&e.nodeType==8&&e.data.startsWith("$s"))for(var n=1;e=e.nextSibling;){if(e.nodeType==8){if(e.data.startsWith("$s"))n++;else if(e.data.startsWith("/$s")&&!--n)return e}t&&t.push(e)}}function wn(e){e&&(e.__c&&(e.__c.__g|=4),e.__k&&e.__k.some(wn))}function kn(e,t,n){for(var o=0;o<n.length;)Dt(n[o++],n[o++],n[o++]);T.__c&&T.__c(t,e),e.some(function(s){try{e=s.__h,s.__h=[],e.some(function(a){a.call(s)})}catch(a){T.__e(a,s.__v)}})}function Cs(e,t,n,o,s,a,r,c,u,p){var l,m,h,f,y,$,k,x,S=n.props||Ve,A=t.props,R=t.type;if(R=="svg"?s="http://www.w3.org/2000/svg":R=="math"?s="http://www.w3.org/1998/Math/MathML":s||(s="http://www.w3.org/1999/xhtml"),a){for(l=0;l<a.length;l++)if((y=a[l])&&(R?y.localName==R:y.nodeType==3)){e=y,a[l]=null;break}}if(!e){if(x=p.ownerDocument||document,!R)return x.createTextNode(A);e=x.createElementNS(s,R,A.is?A:p),c&&(T.__m&&T.__m(t,a),c=!1),a=null}if(R){if(p=R=="template"&&e.content||e,a=R=="textarea"&&A.defaultValue!=null?null:a&&Ct.call(p.childNodes),!c&&a)for(S={},l=0;l<e.attributes.length;l++)S[(y=e.attributes[l]).name]=y.value;for(l in S)y=S[l],l=="dangerouslySetInnerHTML"?h=y:l=="children"||l in A||l=="value"&&"defaultValue"in A||l=="checked"&&"defaultChecked"in A||Ge(e,l,null,y,s);for(l in A)y=A[l],l=="children"?f=y:l=="dangerouslySetInnerHTML"?m=y:l=="value"?$=y:l=="checked"?k=y:c&&typeof y!="function"||S[l]===y||Ge(e,l,y,S[l],s);m?(c||h&&(m.__html==h.__html||m.__html==e.innerHTML)||(e.innerHTML=m.__html),t.__k=[]):(h&&(e.textContent=""),(R=="foreignObject"||s=="http://www.w3.org/1998/Math/MathML"&&vs.test(R))&&(s="http://www.w3.org/1999/xhtml"),vn(p,xt(f)?f:[f],t,n,o,s,a,r,a?a[0]:n.__k&&pe(n,0),c,u),a&&a.some(ge)),c&&R!="textarea"||(l="value",R=="progress"&&$==null?e.removeAttribute(l):$==null||$===e[l]&&(R!="progress"||$)||Ge(e,l,$,S[l],s),l="checked",k!=null&&k!=e[l]&&Ge(e,l,k,S[l],s))}else S===A||c&&e.data==A||(e.data=A);return e}function Dt(e,t,n,o){try{typeof e=="function"?t?t.__x=e(t)||1:o&&(o=o.__c||o.__e)&&(t=o.__x)&&(o.__x=null,typeof t=="function"?t():e(null)):e.current=t}catch(s){T.__e(s,n)}}function Mt(e,t,n){var o,s,a,r;if(T.unmount&&T.unmount(e),!(o=e.ref)||o.current&&o.current!=e.__e||Dt(o,null,t,e),o=e.__c){if(o.componentWillUnmount)try{o.componentWillUnmount()}catch(c){T.__e(c,t)}o.__P=o.__n=null}if(o=e.__k)for(r=0;r<o.length;r++)o[r]&&Mt(o[r],t,typeof e.type!="function"||n&&!e.props.__P);!n&&(o=e.__c)&&(o=o.__z)&&(s=Ye(o,a=[]))&&(o==e.__e&&a.some(ge),ge(s),ge(o)),n||ge(e.__e),e.__e=e.__c=e.__=null}function Ss(e,t,n){return this.constructor(e,n)}function Tt(e,t){var n,o,s,a;T.__&&T.__(e,t),t.nodeType==9&&(t=t.documentElement),o=(n=e&&32&e.__u)?null:t.__k,t.__k=Te(Re,{children:[e]}),s=[],a=[],St(t,t.__k,o||Ve,Ve,t.namespaceURI,o?null:t.firstChild?Ct.call(t.childNodes):null,s,o?o.__e:t.firstChild,n,a),kn(s,t.__k,a),t.__k.props.children=null}T={__e:function(e,t,n,o){for(var s,a,r;t=t.__;)if((s=t.__c)&&!(1&s.__g)){s.__g|=4;try{if((r=(a=s.constructor)&&a.getDerivedStateFromError)&&s.setState(a.getDerivedStateFromError(e)),s.componentDidCatch&&(s.componentDidCatch(e,o||{}),r=1),r&&8&s.__g)return void(s.__g|=2)}catch(c){e=c}}throw Ke=0,e}},mn=0,ys=function(e){return e!=null&&e.constructor===Ie},ue.prototype.setState=function(e,t){var n=this.__s;n&&n!=this.state||(n=this.__s=$e({},this.state)),typeof e=="function"&&(e=e($e({},n),this.props)),e&&($e(n,e),this.__v&&(t&&this.__k.push(t),dn(this)))},ue.prototype.forceUpdate=function(e){this.__v&&(this.__g|=4,e&&this.__h.push(e),dn(this))},ue.prototype.render=Re,le=[],Ke=0,hn=function(e,t){return e.__v.__b-t.__v.__b},ze=Symbol(),gn=/(PointerCapture)$|Capture$/i,kt=0,wt={},_s=0;var Cn=function(e,t,n,o){var s;t[0]=0;for(var a=1;a<t.length;a++){var r=t[a++],c=t[a]?(t[0]|=r?1:2,n[t[a++]]):t[++a];r===3?o[0]=c:r===4?o[1]=Object.assign(o[1]||{},c):r===5?(o[1]=o[1]||{})[t[++a]]=c:r===6?o[1][t[++a]]+=c+"":r?(s=e.apply(c,Cn(e,c,n,["",null])),o.push(s),c[0]?t[0]|=2:(t[a-2]=0,t[a]=s)):o.push(c)}return o},xn=new Map;function Sn(e){var t=xn.get(this);return t||(t=new Map,xn.set(this,t)),(t=Cn(this,t.get(e)||(t.set(e,t=(function(n){for(var o,s,a=1,r="",c="",u=[0],p=function(h){a===1&&(h||(r=r.replace(/^\s*\n\s*|\s*\n\s*$/g,"")))?u.push(0,h,r):a===3&&(h||r)?(u.push(3,h,r),a=2):a===2&&r==="..."&&h?u.push(4,h,0):a===2&&r&&!h?u.push(5,0,!0,r):a>=5&&((r||!h&&a===5)&&(u.push(a,0,r,s),a=6),h&&(u.push(a,h,0,s),a=6)),r=""},l=0;l<n.length;l++){l&&(a===1&&p(),p(l));for(var m=0;m<n[l].length;m++)o=n[l][m],a===1?o==="<"?(p(),u=[u],a=3):r+=o:a===4?r==="--"&&o===">"?(a=1,r=""):r=o+r[0]:c?o===c?c="":r+=o:o==='"'||o==="'"?c=o:o===">"?(p(),a=1):a&&(o==="="?(a=5,s=r,r=""):o==="/"&&(a<5||n[l][m+1]===">")?(p(),a===3&&(u=u[0]),a=u,(u=u[0]).push(2,0,a),a=0):o===" "||o==="	"||o===`
`||o==="\r"?(p(),a=2):r+=o),a===3&&r==="!--"&&(a=4,u=u[0])}return p(),u})(e)),t),arguments,[])).length>1?t:t[0]}var ke,N,It,Dn,Rt=Object.is,qe=0,An=[],Pt=[],E=T,Mn=E.__b,Tn=E.__r,In=E.diffed,Rn=E.__c,Pn=E.unmount,qn=E.__;function Je(e,t){E.__h&&E.__h(N,e,qe||t),qe=0;var n=N.__H||(N.__H={__:[],__h:[]});return e>=n.__.length&&n.__.push({}),n.__[e]}function g(e){return qe=1,Xe(Nn,e)}function Xe(e,t,n){var o=Je(ke++,2);if(o.t=e,!o.__c&&(o.__=[n?n(t):Nn(void 0,t),function(a){var r=(o.__N||o.__)[0],c=o.t(r,a);Rt(r,c)||(o.__N=[c,o.__[1]],o.__c.setState({}))}],o.__c=N,!N.__f)){N.__f=!0;var s=N.shouldComponentUpdate;N.shouldComponentUpdate=function(a,r,c){var u=this.__H;if(!u)return!0;var p=!1,l=this.props!=a;if(u.__.some(function(h){h.__N&&(p=!0,Rt(h.__[0],h.__N[0])||(l=!0))}),s){var m=s.call(this,a,r,c);return p?m||l:m}return!p||l}}return o.__}function M(e,t){var n=Je(ke++,3);!E.__s&&Et(n.__H,t)&&(n.__P=!0,n.__=e,n.u=t,N.__H.__h.push(n))}function Le(e,t){var n=Je(ke++,4);!E.__s&&Et(n.__H,t)&&(n.__P=!1,n.__=e,n.u=t,N.__h.push(n))}function F(e){return qe=5,Lt(function(){return{current:e}},[])}function Lt(e,t){var n=Je(ke++,7);return Et(n.__H,t)&&(n.__=e(),n.__H=t),n.__}function Ze(e,t){return qe=8,Lt(function(){return e},t)}function Ds(){var e;do{for(;e=Pt.shift();)try{Pe(e)}catch(n){E.__e(n,{__:(e=e.__P)&&e.__v})}for(;e=An.shift();){var t=e.__H;if(e.__P&&t)try{t.__h.some(Pe),t.__h.some(qt),t.__h=[]}catch(n){t.__h=[],E.__e(n,e.__v)}}}while(Pt.length)}E.__b=function(e){N=null,Mn&&Mn(e)},E.__=function(e,t){e&&t.__k&&t.__k.__m&&(e.__m=t.__k.__m),qn&&qn(e,t)},E.__r=function(e){Tn&&Tn(e),ke=0;var t=(N=e.__c).__H;t&&(It==N?N.__h=[]:(t.__h.some(Pe),t.__h.some(qt),ke=0),t.__h=[],t.__.some(function(n){n.__N&&(n.__=n.__N),n.u=n.__N=void 0})),It=N},E.diffed=function(e){In&&In(e);var t=e.__c;t&&t.__H&&(t.__H.__h.length&&En(An.push(t)),t.__H.__.some(function(n){n.u&&(n.__H=n.u)})),It=N=null},E.__c=function(e,t){t.some(function(n){try{n.__h.some(Pe),n.__h=n.__h.filter(function(o){return!o.__||qt(o)})}catch(o){n.__h=[function(){throw o}]}}),Rn&&Rn(e,t)},E.unmount=function(e){Pn&&Pn(e);var t,n,o=e.__c;o&&o.__H&&(o.__H.__.some(function(s){try{if(s.__P&&s.__c){if(n===void 0){for(n=e.__;n&&(!n.__c||!n.__c.__P);)n=n.__;n=n&&n.__c}s.__P=n,En(Pt.push(s))}else Pe(s)}catch(a){t=a}}),o.__H=void 0,t&&E.__e(t,o.__v))};var Ln=typeof requestAnimationFrame=="function";function Ms(e){var t,n=function(){clearTimeout(o),Ln&&cancelAnimationFrame(t),setTimeout(e)},o=setTimeout(n,35);Ln&&(t=requestAnimationFrame(n))}function En(e){e!=1&&Dn==E.requestAnimationFrame||((Dn=E.requestAnimationFrame)||Ms)(Ds)}function Pe(e){var t=N,n=e.__c;typeof n=="function"&&(e.__c=void 0,n()),N=t}function qt(e){var t=N;e.__c=e.__(),N=t}function Et(e,t){return!e||e.length!=t.length||t.some(function(n,o){return!Rt(n,e[o])})}function Nn(e,t){return typeof t=="function"?t(e):t}var i=Sn.bind($n);function Un(e){class t extends ue{shouldComponentUpdate(o){let s=this.props;for(let a in s)if(s[a]!==o[a])return!0;for(let a in o)if(!(a in s))return!0;return!1}render(o){return e(o)}}return t.displayName=e.name,t}var te=class extends Error{constructor(t,n,o){super(o||"request failed ("+t+")"),this.status=t,this.code=n||""}},At=()=>{};function On(e){At=e}async function jn(e){let t=null;try{t=await e.json()}catch{t=null}return e.status===401&&At(),new te(e.status,t&&t.code,t&&t.error)}async function de(e,t,n){let o={method:e,headers:{},credentials:"same-origin"};n!==void 0&&(o.headers["Content-Type"]="application/json",o.body=JSON.stringify(n));let s;try{s=await fetch(t,o)}catch{throw new te(0,"network","the daemon does not answer: is `pigeon daemon` still running?")}if(!s.ok)throw await jn(s);return s.status===204||s.status===202?null:(s.headers.get("Content-Type")||"").includes("json")?s.json():s.text()}var C=e=>de("GET",e),I=(e,t)=>de("POST",e,t),U=(e,t)=>de("PUT",e,t),Ee=(e,t)=>de("PATCH",e,t),W=e=>de("DELETE",e),O=encodeURIComponent;function Nt(e,t,n){let o=e.slice(2),s=e.startsWith("g:")?"/v1/groups/"+o:"/v1/conversations/"+o,a="?limit="+n;return t&&(a+="&before="+t),s+"/messages"+a}function Fn({key:e,file:t,caption:n,onProgress:o}){let s=new URLSearchParams;s.set(e.startsWith("g:")?"group":"to",e.slice(2)),t.name&&s.set("name",t.name),t.type&&s.set("mime",t.type),n&&s.set("caption",n);let a=new XMLHttpRequest;return{promise:new Promise((c,u)=>{a.open("POST","/v1/media?"+s.toString()),a.responseType="json",a.upload.onprogress=p=>o&&o(p.loaded,p.lengthComputable?p.total:t.size),a.onload=()=>{let p=a.response;if(a.status===201&&p&&p.id){c(p.id);return}a.status===401&&At(),u(new te(a.status,p&&p.code,p&&p.error))},a.onerror=()=>u(new te(0,"network","the upload was cut off: is the daemon still running?")),a.onabort=()=>u(new te(0,"aborted","upload cancelled")),a.send(t)}),abort:()=>a.abort()}}var xe=e=>"/v1/media/"+e+"/content",Ut=e=>"/v1/media/"+e+"/thumbnail",ye=e=>"/v1/qr.svg?text="+O(e);async function Wn(e){let t=await fetch("/v1/qr/decode",{method:"POST",credentials:"same-origin",headers:{"Content-Type":e.type||"application/octet-stream"},body:e});if(!t.ok)throw await jn(t);return(await t.json()).text}function Ot(e,t){let n=document.createElement("a");n.href=xe(e),n.download=t||"",n.rel="noopener",document.body.append(n),n.click(),n.remove()}var _e=e=>"p:"+e,Ce=e=>"g:"+e,fe=e=>e.group?Ce(e.group):_e(e.peer),Z=e=>(e.startsWith("g:")?"/group/":"/chat/")+e.slice(2),z=e=>e?e.slice(0,12)+"…":"",jt=new Intl.DateTimeFormat(void 0,{hour:"2-digit",minute:"2-digit"}),Bn=new Intl.DateTimeFormat(void 0,{weekday:"long"}),Ts=new Intl.DateTimeFormat(void 0,{year:"numeric",month:"short",day:"numeric"}),Is=new Intl.DateTimeFormat(void 0,{month:"short",day:"numeric"}),Hn=e=>e?Date.parse(e):0,tt=e=>e?jt.format(new Date(e)):"";function et(e){return new Date(e.getFullYear(),e.getMonth(),e.getDate()).getTime()}function Ft(e){let t=new Date(e);return t.getFullYear()*1e4+t.getMonth()*100+t.getDate()}function Ae(e,t=Date.now()){let n=new Date(e),o=Math.round((et(new Date(t))-et(n))/864e5);return o===0?"Today":o===1?"Yesterday":o>1&&o<7?Bn.format(n):Ts.format(n)}function Se(e,t=Date.now()){if(!e)return"";let n=new Date(e),o=Math.round((et(new Date(t))-et(n))/864e5);return o===0?jt.format(n):o===1?"Yesterday":o>1&&o<7?Bn.format(n):Is.format(n)}function nt(e,t=Date.now()){if(!e)return"";let n=Ae(e,t),o=jt.format(new Date(e));return n==="Today"?"last seen today at "+o:n==="Yesterday"?"last seen yesterday at "+o:"last seen "+n+" at "+o}function ne(e){if(e==null)return"";if(e<1024)return e+" B";let t=["KB","MB","GB","TB"],n=e/1024,o=0;for(;n>=1024&&o<t.length-1;)n/=1024,o++;return(n<10?n.toFixed(1):Math.round(n))+" "+t[o]}var Wt=(e,t)=>t>0?Math.min(100,Math.floor(e*100/t)):0,Gn=e=>(e||"?").trim().slice(0,1).toUpperCase()||"?";function B(...e){return e.filter(Boolean).join(" ")}var Rs=/pgi[a-z2-7]{160}/,Ps=/pg[a-z2-7]{58}(?![a-z2-7])/;function ot(e){let t=(e||"").trim(),n=t.toLowerCase(),o=n.match(Rs);if(o)return{kind:"invite",link:o[0]};let s=n.match(Ps);if(!s)return null;let a="",r=t.indexOf("?");if(r>=0)try{a=new URLSearchParams(t.slice(r+1)).get("name")||""}catch{a=""}return{kind:"account",account:s[0],name:a}}function zn(e,t){return"pigeon:"+e+(t?"?name="+encodeURIComponent(t):"")}var Yn=e=>(e||"").replace(/(\d{5})(?=\d)/g,"$1 ");var at=50,d={boot:"loading",bootError:"",me:null,conn:"connecting",convs:[],contacts:new Map,groups:new Map,presence:new Map,typing:new Map,progress:new Map,uploads:[],chats:new Map,open:"",identity:new Map,storageFull:!1,autoDownload:null,devices:null,linkOffer:null,linkRequest:null,historySync:null,setup:null,setupDown:"",toasts:[],visible:document.visibilityState==="visible",profiles:new Map,requests:[],blocked:new Set,myProfile:null},Ne=new Set,Bt=!1;function w(){Bt||(Bt=!0,queueMicrotask(()=>{Bt=!1;for(let e of Ne)e()}))}function Zn(e){return Ne.add(e),()=>Ne.delete(e)}function qs(e,t){if(Object.is(e,t))return!0;if(!e||!t||typeof e!="object"||typeof t!="object")return!1;let n=Object.keys(e);if(n.length!==Object.keys(t).length)return!1;for(let o of n)if(!Object.is(e[o],t[o]))return!1;return!0}function v(e){let[,t]=Xe(s=>s+1,0),n=F(null),o=e(d);return n.current={sel:e,val:o},Le(()=>{let s=()=>{let a=n.current;qs(a.sel(d),a.val)||t()};return Ne.add(s),s(),()=>Ne.delete(s)},[]),o}var Ls=0;function P(e,t="info"){let n=++Ls;d.toasts=[...d.toasts,{id:n,text:e,kind:t}],w(),setTimeout(()=>Yt(n),t==="error"?8e3:4e3)}function Yt(e){d.toasts=d.toasts.filter(t=>t.id!==e),w()}function b(e){e instanceof te&&e.status===401||P(e&&e.message?e.message:String(e),"error")}function H(e){if(!e)return"";if(d.me&&e===d.me.account)return"You";let t=d.contacts.get(e),n=d.profiles.get(e);return t&&t.name||n&&n.name||z(e)}function G(e){if(e.startsWith("g:")){let o=d.groups.get(e.slice(2));return o&&o.name||"Group "+e.slice(2,10)}let t=d.contacts.get(e.slice(2));if(t&&t.name)return t.name;let n=d.convs.find(o=>o.key===e);return n&&n.name||z(e.slice(2))}async function Q(){let e=await C("/v1/contacts");d.contacts=new Map(e.map(t=>[t.account,t]));for(let t of e)if(t.identity_changed_at&&!d.identity.has(t.account)&&(d.identity=new Map(d.identity).set(t.account,{account:t.account,at:t.identity_changed_at})),!t.identity_changed_at&&d.identity.has(t.account)){let n=new Map(d.identity);n.delete(t.account),d.identity=n}w()}async function rt(){let e=await C("/v1/groups");d.groups=new Map(e.map(t=>[t.id,t])),w()}async function J(e){try{let t=await C("/v1/groups/"+e);d.groups=new Map(d.groups).set(e,t)}catch(t){if(t.status===404){let n=new Map(d.groups);n.delete(e),d.groups=n}else throw t}w()}function Es(e){return{key:e.group?Ce(e.group):_e(e.peer),peer:e.peer||"",group:e.group||"",name:e.name||e.profile_name||"",avatar:e.avatar_url||"",last:e.last,unread:e.unread}}var eo=0,to=new Map;async function me(){let e=eo,n=(await C("/v1/conversations")).map(Es);for(let s of n)(to.get(s.key)||0)>e&&(s.unread=0);let o=new Set(n.map(s=>s.key));for(let s of d.groups.values()){let a=Ce(s.id);!o.has(a)&&s.status==="active"&&n.push({key:a,peer:"",group:s.id,name:s.name,last:null,unread:0})}d.convs=n,w();for(let s of n.slice(0,30))s.peer&&!d.presence.has(s.peer)&&no(s.peer)}var Kn=0;function X(){clearTimeout(Kn),Kn=setTimeout(()=>me().catch(()=>{}),300)}var Ht=new Set;async function no(e){if(!Ht.has(e)){Ht.add(e);try{let t=await C("/v1/presence/"+e);d.presence=new Map(d.presence).set(e,t),w()}catch{}finally{Ht.delete(e)}}}async function Kt(){d.autoDownload=await C("/v1/media-settings/auto-download"),w()}async function it(){await Promise.all([Q(),rt(),Kt().catch(()=>{})]),await me();let e=d.open;d.chats=new Map,d.boot="ready",w(),e&&await Vt(e)}function As(e){return{key:e,msgs:[],ids:new Set,hasOlder:!0,loading:!1,ready:!1}}function oe(e){d.chats.set(e.key,e),w()}async function Vt(e){d.open=e,w();let t=d.chats.get(e);if(!t||!t.ready){t=As(e),t.loading=!0,oe(t);try{let n=await C(Nt(e,"",at)),o=d.chats.get(e),s=n.slice(),a=new Set(n.map(r=>r.id));for(let r of o.msgs)a.has(r.id)||(s.push(r),a.add(r.id));oe({...o,msgs:s,ids:a,hasOlder:n.length===at,loading:!1,ready:!0})}catch(n){oe({...d.chats.get(e),loading:!1}),b(n)}}e.startsWith("p:")&&no(e.slice(2)),Oe(e)}function oo(){d.open="",w()}async function ct(e){let t=d.chats.get(e);if(!t||!t.ready||t.loading||!t.hasOlder)return 0;oe({...t,loading:!0});try{let n=t.msgs.length?t.msgs[0].id:"",o=await C(Nt(e,n,at)),s=d.chats.get(e),a=o.filter(r=>!s.ids.has(r.id));for(let r of a)s.ids.add(r.id);return oe({...s,msgs:a.concat(s.msgs),hasOlder:o.length===at,loading:!1}),a.length}catch(n){return oe({...d.chats.get(e),loading:!1}),b(n),0}}var Vn={pending:0,failed:0,sent:1,received:1,delivered:2,read:3};function Ue(e,{incoming:t=!1}={}){let n=fe(e),o=d.chats.get(n);if(o&&!o.ids.has(e.id))o.ids.add(e.id),oe({...o,msgs:o.msgs.concat([e])});else if(o){let u=o.msgs.findLast(p=>p.id===e.id);u&&(Vn[e.state]??0)>(Vn[u.state]??0)&&K(e.id,p=>({...p,state:e.state,pending:void 0}))}let s=d.convs.findIndex(u=>u.key===n),a=s>=0?d.convs[s]:null;if(a&&a.last&&a.last.id===e.id)return;let r=(a?a.unread:0)+(t&&!(d.open===n&&d.visible)?1:0),c={key:n,peer:e.peer||"",group:e.group||"",name:a&&a.name||e.peer_name||e.group_name||"",last:e,unread:r};d.convs=[c,...d.convs.filter(u=>u.key!==n)],w(),!a&&e.group&&!d.groups.has(e.group)&&J(e.group).catch(()=>{})}function K(e,t){let n=!1;for(let s of d.chats.values()){if(!s.ids.has(e))continue;let a=s.msgs.findLastIndex(c=>c.id===e);if(a<0)continue;let r=s.msgs.slice();r[a]=t(r[a]),oe({...s,msgs:r}),n=!0}let o=d.convs.findIndex(s=>s.last&&s.last.id===e);if(o>=0){let s=d.convs.slice();s[o]={...s[o],last:t(s[o].last)},d.convs=s,n=!0}return n&&w(),n}var Gt=new Set;async function lt(e){for(let t of d.chats.values())if(t.ids.has(e))return;if(!Gt.has(e)){Gt.add(e);try{Ue(await C("/v1/messages/"+e))}catch{}finally{Gt.delete(e)}}}var zt=new Map,Qn=new Set;function Oe(e){if(!e||e!==d.open||!d.visible)return;let t=d.convs.find(r=>r.key===e),n=d.chats.get(e),o=n?n.msgs.filter(r=>r.direction==="in"&&r.state==="received").map(r=>r.id):[];if((!t||!t.unread)&&!o.length)return;if(zt.has(e)){Qn.add(e);return}let s=new Set(o),a=e.startsWith("g:")?"/v1/groups/"+e.slice(2)+"/read":"/v1/conversations/"+e.slice(2)+"/read";zt.set(e,!0),I(a).then(()=>{to.set(e,++eo),d.convs=d.convs.map(c=>c.key===e?{...c,unread:0}:c);let r=d.chats.get(e);r&&oe({...r,msgs:r.msgs.map(c=>s.has(c.id)&&c.state==="received"?{...c,state:"read"}:c)}),w()}).catch(b).finally(()=>{zt.delete(e),Qn.delete(e)&&Oe(e)})}function so(e){d.visible=e,w(),e&&Oe(d.open)}async function ao(e,t){let n=e.slice(2),o=e.startsWith("g:")?await I("/v1/groups/"+n+"/messages",{text:t}):await I("/v1/messages",{to:n,text:t}),s=await C("/v1/messages/"+o.id);return Ue(s),s}var Ns=0;async function ro(e,t,n){let o=++Ns,s=t.type.startsWith("image/")?URL.createObjectURL(t):"",a=Fn({key:e,file:t,caption:n,onProgress:r=>{d.uploads=d.uploads.map(c=>c.uid===o?{...c,loaded:r}:c),w()}});d.uploads=[...d.uploads,{uid:o,key:e,name:t.name,size:t.size,loaded:0,error:"",abort:a.abort,preview:s}],w();try{let r=await a.promise,c=await C("/v1/messages/"+r);Ue(c),d.uploads=d.uploads.filter(u=>u.uid!==o)}catch(r){r.code==="aborted"?d.uploads=d.uploads.filter(c=>c.uid!==o):d.uploads=d.uploads.map(c=>c.uid===o?{...c,error:r.message}:c),r.code!=="aborted"&&b(r)}finally{s&&setTimeout(()=>URL.revokeObjectURL(s),6e4),w()}}function io(e){d.uploads=d.uploads.filter(t=>t.uid!==e),w()}var st=0,Jn=0;function ut(e,t){let n=e.startsWith("g:")?"/v1/groups/"+e.slice(2)+"/typing":"/v1/conversations/"+e.slice(2)+"/typing";clearTimeout(Jn);let o=Date.now();if(t){if(Jn=setTimeout(()=>ut(e,!1),5e3),o-st<3e3)return;st=o}else{if(!st)return;st=0}I(n,{active:t}).catch(()=>{})}async function Qt(e){try{await I("/v1/media/"+e+"/fetch"),K(e,t=>t.media?{...t,media:{...t.media,state:"fetching",error:""}}:t)}catch(t){b(t)}}function co(e){d.progress=new Map(d.progress).set(e.id,{phase:e.phase,done:e.done||0,total:e.total||0,direction:e.direction}),w()}function lo(e){if(K(e.id,t=>t.media?{...t,media:{...t.media,state:e.state,error:e.error||"",retry_until:e.retry_until||""}}:t),e.state!=="fetching"&&d.progress.has(e.id)){let t=new Map(d.progress);t.delete(e.id),d.progress=t,w()}}var Xn=0;function uo(){let e=Date.now(),t=1/0,n=!1,o=new Map;for(let[s,a]of d.typing){let r=new Map;for(let[c,u]of a)u>e?(r.set(c,u),t=Math.min(t,u)):n=!0;r.size&&o.set(s,r)}n&&(d.typing=o,w()),clearTimeout(Xn),t!==1/0&&(Xn=setTimeout(uo,t-e+50))}function Jt(e,t,n,o){let s=new Map(d.typing),a=new Map(s.get(e)||[]);n?a.set(t,Hn(o)||Date.now()+6e3):a.delete(t),a.size?s.set(e,a):s.delete(e),d.typing=s,w(),uo()}function po(e){let t=d.presence.get(e.account)||{};d.presence=new Map(d.presence).set(e.account,{...t,account:e.account,state:e.state,last_seen:e.last_seen||t.last_seen}),w()}async function Xt(e,t){await U("/v1/contacts/"+O(e),t?{name:t}:{}),await Q(),X()}async function fo(e){await I("/v1/contacts/"+O(e)+"/verify");let t=new Map(d.identity);t.delete(e),d.identity=t,await Q()}async function mo(e,t,n){let o=await I("/v1/groups",{name:e,description:t,members:n});return d.groups=new Map(d.groups).set(o.id,o),await me(),o}async function pt(e){let t=await I("/v1/groups/join",{link:e});return await rt(),await me(),t}var dt=new Set;function j(e,{replace:t=!1}={}){if(e!==location.pathname){t?history.replaceState(null,"",e):history.pushState(null,"",e);for(let n of dt)n()}}window.addEventListener("popstate",()=>{for(let e of dt)e()});function ho(e=location.pathname){let t=e.split("/").filter(Boolean),[n,o,s]=t;return(n==="chat"||n==="group")&&o?{name:"chat",key:(n==="group"?"g:":"p:")+o,info:s==="info"}:n==="contacts"||n==="me"||n==="settings"||n==="requests"?{name:n}:{name:"home"}}function go(){let[e,t]=g(()=>ho());return M(()=>{let n=()=>t(ho());return dt.add(n),()=>dt.delete(n)},[]),e}function L(e){if(e.defaultPrevented||e.button!==0||e.metaKey||e.ctrlKey||e.shiftKey||e.altKey)return;let t=e.currentTarget;e.preventDefault(),j(t.getAttribute("href"))}var Zt=()=>"Notification"in window,ft=()=>Zt()?Notification.permission:"unsupported";async function mt(){return Zt()?Notification.requestPermission():"unsupported"}function yo(e){if(!document.hidden||!Zt()||Notification.permission!=="granted")return;let t=fe(e),n=G(t),o=e.group?H(e.sender)+" in "+n:n,s=e.media?"📎 "+(e.text||e.media.name||"a file"):e.text;try{let a=new Notification(o,{body:s.slice(0,200),tag:t,icon:document.querySelector("link[rel=icon]").href});a.onclick=()=>{window.focus(),j(Z(t)),a.close()}}catch{}}var $o="";function _o(){let e=0;for(let n of d.convs)e+=n.unread||0;let t=e>0?"("+e+") Pigeon":"Pigeon";t!==$o&&($o=t,document.title=t)}var _=({name:e,label:t,class:n})=>t?i`<span class=${B("icon","i-"+e,n)} role="img" aria-label=${t}></span>`:i`<span class=${B("icon","i-"+e,n)} aria-hidden="true"></span>`;function Y({name:e,online:t,small:n,group:o,src:s}){return i`<span class=${B("avatar",n&&"small")} aria-hidden="true">
    ${o?i`<${_} name="group" />`:s?i`<img class="avatar-img" src=${s} alt="" />`:Gn(e)}
    ${t&&i`<span class="dot"></span>`}
  </span>`}var Us=0;function q({title:e,onClose:t,children:n,actions:o,class:s,label:a}){let r=F(null),c=F("dlg"+ ++Us).current;return Le(()=>{let u=r.current,p=document.activeElement;return u.open||u.showModal(),()=>{u.open&&u.close(),p&&p.focus&&document.contains(p)&&p.focus()}},[]),i`<dialog
    ref=${r}
    class=${s}
    aria-labelledby=${a?void 0:c}
    aria-label=${a}
    onCancel=${u=>{u.preventDefault(),t()}}
  >
    <header class="bar">
      <h2 id=${c}>${e}</h2>
      <button type="button" class="icon-btn" aria-label="Close" onClick=${t}><${_} name="close" /></button>
    </header>
    <div class="dialog-body">${n}</div>
    ${o&&i`<div class="dialog-actions">${o}</div>`}
  </dialog>`}function se(){let e=F(null);return M(()=>{e.current&&e.current.focus()},[]),e}async function je(e){try{return await navigator.clipboard.writeText(e),!0}catch{return!1}}var Os=["👍","❤️","😂","😮","😢","🙏"],js=24*3600*1e3,Fs=48*3600*1e3;function bo(e){switch(e.type){case"message_edited":K(e.id,t=>({...t,text:e.text,edited:!0,edits:e.edits,edited_at:e.edited_at}))||lt(e.id);return;case"message_deleted":K(e.id,t=>({...t,deleted:!0}))&&X();return;case"reaction_changed":Ws(e.id);return}}async function Ws(e){try{let t=await C("/v1/messages/"+e);K(e,n=>({...n,reactions:t.reactions,text:t.text,edited:t.edited,edits:t.edits}))}catch{}}function wo(e){return e.direction==="out"||d.me&&e.sender===d.me.account}function Bs(e){if(wo(e))return Date.now()-Date.parse(e.sent_at)<Fs;if(!e.group)return!1;let t=d.groups.get(e.group);return!!(t&&t.settings&&t.settings.admins_delete&&(t.role==="admin"||t.role==="owner"))}async function ko(e,t){try{let n=await U("/v1/messages/"+e.id+"/reaction",{emoji:t});K(e.id,o=>({...o,reactions:n.reactions}))}catch(n){b(n)}}async function vo(e,t){try{await W("/v1/messages/"+e.id+"?for="+(t?"everyone":"me")),K(e.id,n=>({...n,deleted:!0})),X()}catch(n){b(n)}}function Hs({m:e,onClose:t}){let[n,o]=g(e.text||""),s=se();return i`<${q} title="Edit message" onClose=${t} class="edit-dialog">
    <form class="edit-form" onSubmit=${async r=>{r.preventDefault();let c=n.trim();if(!c||c===e.text)return t();try{let u=await U("/v1/messages/"+e.id,{text:c});K(e.id,p=>({...p,text:u.text,edited:!0,edits:u.edits,edited_at:u.edited_at})),t()}catch(u){b(u)}}}>
      <textarea ref=${s} aria-label="New text" value=${n} onInput=${r=>o(r.target.value)}></textarea>
      <p class="muted">${10-(e.edits||0)} edits left. Everyone in the chat sees that it was edited, and the earlier versions.</p>
      <div class="row">
        <button type="submit" class="btn primary">Save</button>
        <button type="button" class="btn" onClick=${t}>Cancel</button>
      </div>
    </form>
  </${q}>`}function Gs({m:e,onClose:t}){let[n,o]=g(null),[s,a]=g("");return n===null&&!s&&C("/v1/messages/"+e.id+"/versions").then(r=>o(r||[])).catch(r=>a(r.message)),i`<${q} title="Edit history" onClose=${t}>
    ${s&&i`<p class="error-text">${s}</p>`}
    ${!n&&!s&&i`<p class="muted">Loading…</p>`}
    ${n&&i`<ol class="list versions">
      ${n.map(r=>i`<li key=${r.version} data-version=${r.version}>
          <span class="grow text">${r.text}</span>
          <span class="muted">${r.version===0?"original":"edit "+r.version} · <time datetime=${r.at}>${tt(r.at)}</time></span>
        </li>`)}
    </ol>`}
  </${q}>`}function zs({m:e,onEdit:t,onClose:n}){let s=wo(e)&&(e.edits||0)<10&&Date.now()-Date.parse(e.sent_at)<js,a=r=>()=>{n(),r()};return i`<div class="msg-menu" role="menu" aria-label="Message actions">
    <div class="react-row" role="group" aria-label="React">
      ${Os.map(r=>i`<button type="button" role="menuitem" class="emoji-btn" aria-label=${"React "+r} onClick=${a(()=>ko(e,r))}>${r}</button>`)}
    </div>
    ${s&&i`<button type="button" role="menuitem" class="menu-item" onClick=${a(t)}>Edit</button>`}
    <button type="button" role="menuitem" class="menu-item" onClick=${a(()=>vo(e,!1))}>Delete for me</button>
    ${Bs(e)&&i`<button type="button" role="menuitem" class="menu-item danger" onClick=${a(()=>vo(e,!0))}>Delete for everyone</button>`}
  </div>`}function Ys({m:e}){if(!e.reactions||!e.reactions.length)return null;let t=d.me&&d.me.account;return i`<div class="reactions" aria-label="Reactions">
    ${e.reactions.map(n=>{let o=(n.accounts||[]).map(a=>a===t?"You":H(a)).join(", "),s=(n.accounts||[]).includes(t);return i`<button
        type="button"
        key=${n.emoji}
        class=${B("reaction",s&&"ours")}
        data-emoji=${n.emoji}
        data-count=${n.count}
        title=${o}
        aria-label=${n.emoji+" "+n.count+": "+o}
        onClick=${()=>ko(e,s?"":n.emoji)}
      >${n.emoji} ${n.count}</button>`})}
  </div>`}function xo({m:e}){let[t,n]=g("");return i`<div class="msg-actions">
    ${e.edited&&i`<button type="button" class="edited" onClick=${()=>n("versions")} aria-label="Edited: show earlier versions">edited</button>`}
    <${Ys} m=${e} />
    <button type="button" class="icon-btn msg-menu-btn" aria-haspopup="menu" aria-expanded=${t==="menu"} aria-label="Message actions"
      onClick=${()=>n(t==="menu"?"":"menu")}>⋯</button>
    ${t==="menu"&&i`<${zs} m=${e} onEdit=${()=>n("edit")} onClose=${()=>n("")} />`}
    ${t==="edit"&&i`<${Hs} m=${e} onClose=${()=>n("")} />`}
    ${t==="versions"&&i`<${Gs} m=${e} onClose=${()=>n("")} />`}
  </div>`}function Co({g:e}){let t=async n=>{try{await Ee("/v1/groups/"+e.id,{settings:{...e.settings,admins_delete:n}}),await J(e.id)}catch(o){b(o)}};return i`<label class="field check">
    <input type="checkbox" checked=${!!(e.settings&&e.settings.admins_delete)} onChange=${n=>t(n.target.checked)} />
    <span>Admins can delete anyone's messages</span>
  </label>`}async function De(){d.devices=await C("/v1/devices"),w()}var ht=e=>(e||0).toLocaleString("en-US");function Ks(e){let t=d.devices&&d.devices.devices.find(n=>n.id===e);return t&&t.name||"device "+e}function So(e){d.linkRequest=e,w()}function Do(e){d.linkOffer=null,d.linkRequest&&d.linkRequest.peer_id===e.peer_id&&(d.linkRequest=null),w(),P("Linked "+(e.name||"a new device")+". It is getting your history now."),De().catch(()=>{})}function Mo(){De().catch(()=>{})}function To(e){d.historySync=e,w()}function Vs(e){return e.this?"":e.online?"online":e.last_seen?nt(e.last_seen):"not seen since it was linked"}function Qs(e,t){let n=Math.max(0,Math.round((Date.parse(e)-t)/1e3));return Math.floor(n/60)+":"+String(n%60).padStart(2,"0")}function Js({offer:e,onAgain:t}){let[n,o]=g(Date.now());return M(()=>{let s=setInterval(()=>o(Date.now()),1e3);return()=>clearInterval(s)},[]),Date.parse(e.expires)<=n?i`<div class="link-offer expired">
      <p>The link code expired.</p>
      <button type="button" class="btn" onClick=${t}>Make a new code</button>
    </div>`:i`<div class="link-offer">
    <p>On the new device run <code>pigeon init --link CODE</code> with this code, or scan it. It works once; keep it to yourself.</p>
    <img class="qr" src=${ye(e.qr_text)} alt="QR code of the link code" width="220" height="220" />
    <textarea class="mono link-code" readonly rows="4" aria-label="Link code" value=${e.code} onFocus=${s=>s.target.select()}></textarea>
    <p class="muted" data-expires=${e.expires}>Expires in ${Qs(e.expires,n)}</p>
    <button type="button" class="btn withdraw-link" onClick=${()=>Xs(e)}>Cancel</button>
  </div>`}async function Xs(e){try{await de("DELETE","/v1/devices/link",{code:e.code})}catch(t){b(t)}d.linkOffer=null,w()}function Zs({d:e,holdsKey:t}){let[n,o]=g(!1),[s,a]=g(e.name),r=async p=>{p.preventDefault();try{await U("/v1/devices/"+e.id,{name:s.trim()}),o(!1),await De()}catch(l){b(l)}},c=()=>{a(e.name),o(!0)},u=async()=>{if(confirm("Revoke "+(e.name||"device "+e.id)+"? It stops receiving your messages, and what it sends is no longer accepted. Link it again to use it."))try{await W("/v1/devices/"+e.id),P("Revoked "+(e.name||"device "+e.id)+"."),await De()}catch(p){b(p)}};return n?i`<li data-device=${e.id}>
      <form class="row grow" onSubmit=${r}>
        <input type="text" class="grow" aria-label="Device name" value=${s} maxlength="64" onInput=${p=>a(p.target.value)} />
        <button type="submit" class="btn" disabled=${!s.trim()}>Save</button>
        <button type="button" class="btn" onClick=${()=>o(!1)}>Cancel</button>
      </form>
    </li>`:i`<li data-device=${e.id}>
    <span class="grow">
      <span class="device-name">${e.name||"Device "+e.id}</span>
      ${e.this&&i` <span class="role">this device</span>`}
      <div class="relay-stats">${[e.platform,Vs(e),"added "+Ae(e.added_at).toLowerCase()].filter(Boolean).join(" · ")}</div>
    </span>
    <button type="button" class="btn" onClick=${c} aria-label=${"Rename "+(e.name||"device "+e.id)}>Rename</button>
    ${t&&!e.this&&i`<button type="button" class="btn danger" onClick=${u} aria-label=${"Revoke "+(e.name||"device "+e.id)}>Revoke</button>`}
  </li>`}function ea(){let e=v(n=>n.historySync);if(v(n=>n.devices),!e)return null;let t=Ks(e.device);return e.error?i`<p class="history-sync error-text" role="status">Syncing history from ${t} stopped at ${ht(e.done)} (${e.error}); it goes on when the devices meet again.</p>`:(e.done||0)>=(e.total||0)?i`<p class="history-sync muted" role="status">History synced from ${t}: ${ht(e.total)} changes.</p>`:i`<p class="history-sync" role="status">Syncing history from ${t}: ${ht(e.done)} of ${ht(e.total)}</p>`}function Io(){let e=v(o=>o.devices),t=v(o=>o.linkOffer);M(()=>{De().catch(b);let o=setInterval(()=>De().catch(()=>{}),3e4);return()=>clearInterval(o)},[]);let n=async()=>{try{d.linkOffer=await I("/v1/devices/link"),w()}catch(o){b(o)}};return i`<div class="card devices">
    <h3>Devices</h3>
    <p class="muted">Your account on other devices: each gets your history and everything you send, receive and read.</p>
    <ul class="list">
      ${(e?e.devices:[]).map(o=>i`<${Zs} key=${o.id+":"+o.name} d=${o} holdsKey=${e.holds_account_key} />`)}
    </ul>
    <${ea} />
    ${e&&(e.holds_account_key?t?i`<${Js} offer=${t} onAgain=${n} />`:i`<button type="button" class="btn link-device" onClick=${n}>Link a device</button>`:i`<p class="muted">This device does not hold the account key: link and revoke devices on the one that does.</p>`)}
  </div>`}function Ro(){let e=v(n=>n.linkRequest);if(!e)return null;let t=async n=>{d.linkRequest=null,w();try{await I("/v1/devices/link-requests/"+e.id,{accept:n}),n||P("The device was not linked.")}catch(o){b(o)}};return i`<${q}
    title="Link a new device?"
    class="link-request"
    onClose=${()=>t(!1)}
    actions=${i`<button type="button" class="btn" onClick=${()=>t(!1)}>Cancel</button>
      <button type="button" class="btn primary confirm-link" onClick=${()=>t(!0)}>They match, link it</button>`}
  >
    <p><strong class="device-name">${e.name}</strong>${e.platform?" ("+e.platform+")":""} asks to join your account.</p>
    <p class="sas" aria-label=${"Confirmation code "+e.sas} data-sas=${e.sas}>${e.sas.slice(0,3)} ${e.sas.slice(3)}</p>
    <p>Check that the new device shows the same six digits. If it does not, cancel: someone else has your link code.</p>
  <//>`}var ta=49152;async function ae(){let[e,t,n,o]=await Promise.all([C("/v1/profiles").catch(()=>[]),C("/v1/requests").catch(()=>[]),C("/v1/blocked").catch(()=>[]),C("/v1/profile").catch(()=>null)]);d.profiles=new Map(e.map(s=>[s.account,s])),d.requests=t,d.blocked=new Set(n.map(s=>s.account)),d.myProfile=o,w()}function qo(e){switch(e.type){case"profile_changed":case"blocked_changed":case"request_received":case"request_changed":return ae().catch(()=>{}),Q().then(X).catch(()=>{}),!0}return!1}function gt(e){let t=d.profiles&&d.profiles.get(e);return t&&t.has_avatar?t.avatar_url:""}async function na(e){let t=await createImageBitmap(e),n=Math.min(1,256/Math.max(t.width,t.height)),o=document.createElement("canvas");o.width=Math.max(1,Math.round(t.width*n)),o.height=Math.max(1,Math.round(t.height*n)),o.getContext("2d").drawImage(t,0,0,o.width,o.height);for(let s of[.9,.8,.6,.4]){let a=await new Promise(r=>o.toBlob(r,"image/jpeg",s));if(a&&a.size<=ta)return a}throw new Error("the picture does not fit 48 KiB even small: try another one")}async function oa(e){let t=await fetch("/v1/profile/avatar",{method:"PUT",body:e,credentials:"same-origin",headers:{"Content-Type":e.type}});if(!t.ok){let n=await t.json().catch(()=>({}));throw new Error(n.message||"the daemon refused the picture")}}function Lo(){let e=v(r=>r.myProfile),[t,n]=g(e?e.name:"");M(()=>n(e?e.name:""),[e&&e.name]);let o=async r=>{r.preventDefault();try{await U("/v1/profile",{name:t}),await ae(),P("Profile saved: your contacts and groups get it.")}catch(c){b(c)}},s=async r=>{let c=r.target.files&&r.target.files[0];if(r.target.value="",!!c)try{await oa(await na(c)),await ae()}catch(u){b(u)}},a=async()=>{try{await W("/v1/profile/avatar"),await ae()}catch(r){b(r)}};return i`<div class="card profile-card">
    <h3>Profile</h3>
    <p class="muted">Your name and picture, end-to-end encrypted to your contacts and groups.</p>
    <div class="row">
      <${Y} name=${t||"?"} src=${e&&e.has_avatar?e.avatar_url:""} />
      <label class="btn">Choose picture<input type="file" accept="image/*" class="sr-only" onChange=${s} aria-label="Choose a profile picture" /></label>
      ${e&&e.has_avatar&&i`<button type="button" class="btn" onClick=${a}>Remove picture</button>`}
    </div>
    <form class="row" onSubmit=${o}>
      <label class="field grow"><span>Display name</span><input type="text" maxlength="64" value=${t} onInput=${r=>n(r.target.value)} id="profile-name" /></label>
      <button class="btn primary" type="submit">Save</button>
    </form>
  </div>`}function Eo(){let e=v(t=>t.requests||[]);return e.length?i`<a href="/requests" class="requests-entry" onClick=${L} id="requests-entry">
    <${_} name="person-add" /> <span class="grow">Message requests</span><span class="badge">${e.length}</span>
  </a>`:null}function Po(e){return e.profile_name||e.name||z(e.peer)}function Ao(){let e=v(n=>n.requests||[]),t=async(n,o)=>{try{if(o==="accept"&&await I("/v1/requests/"+O(n.peer)+"/accept",{name:""}),o==="delete"){if(!confirm("Delete this request and its messages?"))return;await W("/v1/requests/"+O(n.peer))}o==="block"&&await I("/v1/requests/"+O(n.peer)+"/block"),await ae(),await Q(),X(),o==="accept"&&j("/chat/"+n.peer)}catch(s){b(s)}};return i`<section class="pane page" aria-labelledby="requests-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${L}><${_} name="back" /></a>
      <h2 id="requests-title">Message requests</h2>
    </header>
    <div class="page-body">
      <p class="muted">People who are not in your contacts wrote to you. They do not see that you read their messages until you accept.</p>
      <ul class="requests">
        ${e.map(n=>i`<li key=${n.peer} class="card request" data-account=${n.peer}>
            <div class="row">
              <${Y} name=${Po(n)} src=${n.avatar_url||""} />
              <span class="grow"><strong>${Po(n)}</strong><br /><span class="muted">${n.last?n.last.text:""}</span></span>
              <span class="time">${n.last?Se(n.last.sent_at):""}</span>
            </div>
            <div class="row">
              <button type="button" class="btn primary" onClick=${()=>t(n,"accept")}>Accept</button>
              <button type="button" class="btn" onClick=${()=>t(n,"delete")}>Delete</button>
              <button type="button" class="btn danger" onClick=${()=>t(n,"block")}>Block</button>
            </div>
          </li>`)}
        ${!e.length&&i`<li class="hint">No message requests.</li>`}
      </ul>
    </div>
  </section>`}function No({account:e}){let t=v(o=>!!(o.blocked&&o.blocked.has(e))),n=async()=>{try{if(t)await W("/v1/blocked/"+O(e));else{if(!confirm("Block this account? Its messages will be dropped on all your devices."))return;await U("/v1/blocked/"+O(e))}await ae()}catch(o){b(o)}};return i`<div class="section">
    <button type="button" class=${"btn"+(t?"":" danger")} onClick=${n} id="block-toggle">
      ${t?"Unblock":"Block"}
    </button>
    ${t&&i`<p class="muted">Blocked: messages from this account are dropped.</p>`}
  </div>`}var re=null,tn="",Fe=0,en=0,nn=!1,We=250,Uo=0,Oo=Promise.resolve();function $t(){if(clearTimeout(Uo),re)return;nn=!!tn;let e=nn?"?epoch="+encodeURIComponent(tn)+"&after="+Fe:"",t=location.protocol==="https:"?"wss:":"ws:",n=new WebSocket(t+"//"+location.host+"/v1/events"+e);re=n,n.onmessage=o=>{let s;try{s=JSON.parse(o.data)}catch{return}Oo=Oo.then(()=>sa(s)).catch(a=>console.error("pigeon: event",s.type,a))},n.onclose=()=>{re===n&&(re=null,d.conn="down",w(),Uo=setTimeout($t,We),We=Math.min(We*2,5e3))}}function on(){if(!(re&&re.readyState===WebSocket.OPEN)){if(re){let e=re;re=null,e.onclose=null,e.close()}We=250,$t()}}async function sa(e){if(e.type==="hello"){tn=e.epoch||"",en=e.seq||0,d.conn="live",We=250,w(),nn||(Fe=en,await Promise.all([it(),ae().catch(()=>{})]));return}if(e.type==="reset"){Fe=en,await Promise.all([it(),ae().catch(()=>{})]);return}if(typeof e.seq=="number"){if(e.seq<=Fe)return;Fe=e.seq}aa(e)}function aa(e){if(!qo(e))switch(e.type){case"message_received":{let t=e.message;if(!t)return;let n=t.direction==="in";Ue(t,{incoming:n}),n&&(yo(t),Oe(fe(t)),X());return}case"message_state_changed":{K(e.id,n=>({...n,state:e.state,pending:e.state==="pending"?n.pending:void 0}))||lt(e.id);return}case"message_edited":case"message_deleted":case"reaction_changed":bo(e);return;case"message_pending":{let t={code:e.code,reason:e.reason,attempts:e.attempts,next_attempt:e.next_attempt};for(let n of e.ids||[])K(n,o=>o.state==="pending"?{...o,pending:t}:o);return}case"typing":Jt(_e(e.from),e.from,e.active,e.until);return;case"group_typing":Jt(Ce(e.group),e.from,e.active,e.until);return;case"presence":po(e);return;case"group_changed":J(e.group).then(()=>e.change==="created"||e.change==="member_added"||e.change==="member_joined"?me():null).catch(()=>{});return;case"group_receipt":d.receiptTick=(d.receiptTick||0)+1,w();return;case"media_progress":co(e);return;case"media_state":lo(e);return;case"contact_changed":Q().then(X).catch(()=>{});return;case"identity_changed":d.identity=new Map(d.identity).set(e.account,e),w(),Q().catch(()=>{});return;case"storage":d.storageFull=e.state==="full",w(),d.storageFull&&P("The disk is nearly full: Pigeon cannot store new messages or files until you free some space.","error");return;case"link_request":So(e);return;case"device_linked":Do(e);return;case"device_revoked":Mo(e);return;case"history_sync":To(e);return;case"dropped":it().catch(()=>{}),rt().catch(()=>{});return}}var jo=20,ra=250;function ia(e){let t=new TextEncoder().encode(e.text),n=new TextDecoder,o=[],s=0;for(let[a,r]of e.ranges||[]){if(a<s||r>t.length||a>r)break;a>s&&o.push({text:n.decode(t.subarray(s,a))}),o.push({text:n.decode(t.subarray(a,r)),mark:!0}),s=r}return s<t.length&&o.push({text:n.decode(t.subarray(s))}),o}function ca({h:e}){let t=e.message,n=fe(t),o=t.group?t.group_name||G(n):t.peer_name||G(n),s=t.direction==="out"?"You":t.sender_name||H(t.sender);return i`<li>
    <a
      href=${Z(n)}
      class="search-hit"
      data-id=${t.id}
      onClick=${a=>{a.button!==0||a.metaKey||a.ctrlKey||a.shiftKey||a.altKey||(a.preventDefault(),la(n,t.id))}}
    >
      <span class="top">
        <span class="name">${o}</span>
        <span class="time">${Se(t.sent_at)}</span>
      </span>
      <span class="snippet">
        ${t.group||t.direction==="out"?s+": ":""}${e.snippet.field==="file_name"?"📎 ":""}
        ${ia(e.snippet).map(a=>a.mark?i`<mark>${a.text}</mark>`:a.text)}
      </span>
    </a>
  </li>`}function Fo(){let[e,t]=g(""),[n,o]=g(null),[s,a]=g(!1),r=F(0),c=e.trim();M(()=>{if(!c){o(null);return}let p=++r.current,l=setTimeout(async()=>{try{let m=await C("/v1/search?q="+O(c)+"&limit="+jo);p===r.current&&o({q:c,hits:m.hits,next:m.next_cursor||""})}catch(m){if(p!==r.current)return;m.status===400?o({q:c,hits:[],next:"",error:m.message}):b(m)}},ra);return()=>clearTimeout(l)},[c]);let u=async()=>{if(!(!n||!n.next||s)){a(!0);try{let p=await C("/v1/search?q="+O(n.q)+"&limit="+jo+"&cursor="+O(n.next));o(l=>l&&l.q===n.q?{...l,hits:l.hits.concat(p.hits),next:p.next_cursor||""}:l)}catch(p){b(p)}finally{a(!1)}}};return i`<div class="msg-search" role="search">
    <label>
      <${_} name="search" />
      <span class="sr-only">Search messages</span>
      <input
        type="search"
        id="message-search"
        placeholder="Search messages"
        value=${e}
        onInput=${p=>t(p.target.value)}
        onKeyDown=${p=>p.key==="Escape"&&t("")}
      />
    </label>
    ${n&&i`<div class="search-results" aria-live="polite">
      ${n.error?i`<p class="hint" role="alert">${n.error}</p>`:n.hits.length?i`<ul aria-label="Search results">
              ${n.hits.map(p=>i`<${ca} key=${p.message.id} h=${p} />`)}
            </ul>`:i`<p class="hint">No message matches “${n.q}”.</p>`}
      ${n.next&&i`<button type="button" class=${B("btn","more")} disabled=${s} onClick=${u}>More results</button>`}
    </div>`}
  </div>`}var ve=null,Be=null;function la(e,t){ve={key:e,id:t},j(Z(e)),Be&&Be.scroller&&Be.props.chat.key===e&&yt(Be)}function yt(e){Be=e;let t=e.props.chat;if(!ve||ve.key!==t.key||!e.scroller)return;let n=t.msgs,o=n.findIndex(c=>c.id===ve.id);if(o<0){if(!t.ready||t.loading)return;if(!t.hasOlder){ve=null;return}ct(t.key);return}let{start:s,end:a}=e.state;if(o<s||o>=a){let c=Math.max(0,o-25);e.setState({start:c,end:Math.min(n.length,Math.max(o+25,c+50)),stick:!1});return}let r=e.scroller.querySelector('.msg[data-id="'+ve.id+'"]');r&&(ve=null,e.state.stick&&e.setState({stick:!1}),r.scrollIntoView({block:"center"}),r.classList.add("found"),setTimeout(()=>r.classList.remove("found"),2500))}function ua(e){let t=e.last;if(!t)return e.group?"No messages yet":"";let n="";return t.direction==="out"?n="You: ":t.group&&(n=(t.sender_name||H(t.sender))+": "),t.media?n+"📎 "+(t.text?t.text:t.media.name||"file"):n+t.text}function pa({c:e,current:t}){let n=e.name||G(e.key),o=v(c=>e.peer?c.presence.get(e.peer):null),s=v(c=>c.typing.has(e.key)),a=o&&o.state==="online",r=n+(e.unread?", "+e.unread+" unread":"")+(a?", online":"");return i`<li>
    <a
      href=${Z(e.key)}
      class=${B("chat-item",e.unread>0&&"unread")}
      aria-current=${t?"page":void 0}
      aria-label=${r}
      onClick=${L}
      data-key=${e.key}
    >
      <${Y} name=${n} group=${!!e.group} online=${a} src=${e.avatar} />
      <span class="grow">
        <span class="top">
          <span class="name">${n}</span>
          <span class="time">${e.last?Se(e.last.sent_at):""}</span>
        </span>
        <span class="bottom">
          <span class="preview">${s?i`<em>typing…</em>`:ua(e)}</span>
          ${e.unread>0&&i`<span class="badge" aria-hidden="true">${e.unread}</span>`}
        </span>
      </span>
    </a>
  </li>`}function da(){let[e,t]=g(ft()),[n,o]=g(localStorage.getItem("pigeon.notify-banner")==="no");return e!=="default"||n?null:i`<div class="banner">
    <span class="grow">Get notified of new messages while this tab is in the background.</span>
    <button type="button" class="btn" onClick=${async()=>t(await mt())}>Turn on</button>
    <button
      type="button"
      class="icon-btn"
      aria-label="Not now"
      onClick=${()=>{localStorage.setItem("pigeon.notify-banner","no"),o(!0)}}
    ><${_} name="close" /></button>
  </div>`}function Wo({current:e,onNewGroup:t,onAddContact:n,onJoin:o}){let s=v(m=>m.convs),a=v(m=>m.conn),r=v(m=>m.me),[c,u]=g(""),p=c.trim().toLowerCase(),l=p?s.filter(m=>(m.name||G(m.key)).toLowerCase().includes(p)||(m.peer||m.group).startsWith(p)):s;return i`<nav class="sidebar" aria-label="Chats">
    <header class="bar">
      <a href="/me" class="icon-btn" onClick=${L} aria-label="My account and QR code"><${Y} small name=${r?"Me":"?"} /></a>
      <h1 class="brand">Pigeon</h1>
      <button type="button" class="icon-btn" aria-label="New group" onClick=${t}><${_} name="group" /></button>
      <button type="button" class="icon-btn" aria-label="Add contact" onClick=${n}><${_} name="person-add" /></button>
      <button type="button" class="icon-btn" aria-label="Join a group by link" onClick=${o}><${_} name="link" /></button>
      <a href="/contacts" class="icon-btn" onClick=${L} aria-label="Contacts"><${_} name="people" /></a>
      <a href="/settings" class="icon-btn" onClick=${L} aria-label="Settings"><${_} name="gear" /></a>
    </header>
    ${a==="down"&&i`<div class="conn" role="status">Connection to the daemon lost; reconnecting…</div>`}
    <${da} />
    <${Fo} />
    <div class="filter" role="search">
      <label>
        <${_} name="search" />
        <span class="sr-only">Filter chats</span>
        <input
          type="search"
          placeholder="Filter chats (Ctrl+K: go to any chat)"
          value=${c}
          onInput=${m=>u(m.target.value)}
          onKeyDown=${m=>{m.key==="Enter"&&p&&l.length&&(m.preventDefault(),j(Z(l[0].key)))}}
          id="chat-filter"
        />
      </label>
    </div>
    <${Eo} />
    <ul class="chats" aria-label="Chat list">
      ${l.map(m=>i`<${pa} key=${m.key} c=${m} current=${m.key===e} />`)}
      ${!l.length&&i`<li class="hint">${p?"No chat matches “"+c+"”.":i`No chats yet. <a href="/contacts" onClick=${L}>Start one</a> with a contact, or add one by their account ID.`}</li>`}
    </ul>
  </nav>`}var Ho={pending:"pending",sent:"sent",delivered:"delivered",read:"read",failed:"not sent"},fa={pending:"clock",sent:"check",delivered:"check2",read:"check2",failed:"alert"};function sn({state:e}){let t=fa[e];return t?i`<span class=${B("icon","i-"+t,"tick","tick-"+e)} role="img" aria-label=${Ho[e]} data-state=${e}></span>`:null}function Go(e,t){if(!e||!t)return{width:240,height:180};let n=Math.min(1,300/e,320/t);return{width:Math.max(40,Math.round(e*n)),height:Math.max(40,Math.round(t*n))}}function Bo(e,t){switch(e.state){case"fetching":return t&&t.total?"downloading "+Wt(t.done,t.total)+"%":"downloading…";case"retrying":return"waiting for the sender to come online…";case"failed":return"download failed"+(e.error?": "+e.error:"");case"removed":return"removed from this device";case"remote":return"not downloaded"}return""}function zo({prog:e,label:t}){return!e||!e.total?i`<progress aria-label=${t}></progress>`:i`<progress aria-label=${t} max=${e.total} value=${e.done}></progress>`}function Yo({media:e,prog:t}){let n=e.state==="local",o=e.state==="fetching"||e.state==="retrying",s=t&&t.direction==="download"?t:null;return i`<div class="file-card" data-media-state=${e.state}>
    <${_} name="doc" class="big" />
    <div class="grow">
      <div class="file-name" title=${e.name}>${e.name||"file"}</div>
      <div class="file-meta">${ne(e.size)}${e.mime?" · "+e.mime:""}${Bo(e,s)&&" · "+Bo(e,s)}</div>
      ${o&&i`<${zo} prog=${s} label=${"Downloading "+(e.name||"file")} />`}
    </div>
    ${n?i`<button type="button" class="icon-btn" aria-label=${"Save "+(e.name||"file")} onClick=${()=>Ot(e.id,e.name)}>
          <${_} name="download" />
        </button>`:!o&&i`<button type="button" class="icon-btn" aria-label=${"Download "+(e.name||"file")+", "+ne(e.size)} onClick=${()=>Qt(e.id)}>
          <${_} name="download" />
        </button>`}
  </div>`}function ma({media:e,prog:t,onOpen:n}){let o=e.state==="local",s=Go(e.width,e.height),a=o?xe(e.id):e.thumbnail?Ut(e.id):"";if(!a)return i`<${Yo} media=${e} prog=${t} />`;let r=e.state==="fetching"||e.state==="retrying";return i`<div>
    <button type="button" class=${B("media-img",!o&&"remote")} onClick=${n} aria-label=${"Open picture "+(e.name||"")}>
      <img src=${a} alt=${e.caption||e.name||"picture"} width=${s.width} height=${s.height} loading="lazy" decoding="async" />
    </button>
    ${!o&&i`<div class="row file-meta">
      ${r?i`<${zo} prog=${t} label=${"Downloading "+(e.name||"picture")} />`:i`<button type="button" class="btn" onClick=${()=>Qt(e.id)}><${_} name="download" /> ${ne(e.size)}</button>`}
    </div>`}
  </div>`}function Ko({media:e,onClose:t}){return i`<${q} title=${e.name||"Picture"} onClose=${t} class="viewer">
    <div class="viewer-body">
      <img src=${xe(e.id)} alt=${e.caption||e.name||"picture"} />
    </div>
    <div class="row">
      <button type="button" class="btn" onClick=${()=>Ot(e.id,e.name)}><${_} name="download" /> Save</button>
    </div>
  </${q}>`}function ha({media:e,prog:t,onOpen:n}){let o=e.mime||"",s=e.state==="local";return o.startsWith("image/")?i`<${ma} media=${e} prog=${t} onOpen=${n} />`:o.startsWith("video/")?i`<video
      class="media-video"
      controls
      preload=${s?"metadata":"none"}
      poster=${e.thumbnail?Ut(e.id):void 0}
      src=${xe(e.id)}
      aria-label=${"Video "+(e.name||"")}
      width=${Go(e.width,e.height).width}
    ></video>`:o.startsWith("audio/")?i`<audio class="media-audio" controls preload=${s?"metadata":"none"} src=${xe(e.id)} aria-label=${"Audio "+(e.name||"")}></audio>`:i`<${Yo} media=${e} prog=${t} />`}function Vo({m:e,onClose:t}){let n=v(l=>l.receiptTick||0),o=v(l=>l.groups.get(e.group)),[s,a]=g(null),[r,c]=g("");M(()=>{C("/v1/groups/"+e.group+"/messages/"+e.id+"/receipts").then(l=>a(l.receipts||{})).catch(l=>c(l.message))},[n,e.id,e.group]);let u=o?o.members.filter(l=>!d.me||l.account!==d.me.account):[],p=new Set([...u.map(l=>l.account),...Object.keys(s||{})]);return i`<${q} title="Message info" onClose=${t}>
    <p class="text">${e.media?"📎 "+(e.media.name||"file")+(e.text?" — "+e.text:""):e.text}</p>
    ${r&&i`<p class="error-text">${r}</p>`}
    ${!s&&!r&&i`<p class="muted">Loading…</p>`}
    ${s&&i`<ul class="list receipts">
      ${[...p].map(l=>{let m=s[l]||"";return i`<li key=${l} data-account=${l} data-receipt=${m||"none"}>
          <span class="grow">${H(l)}</span>
          <span class="muted">${m==="read"?"Read":m==="delivered"?"Delivered":"Not yet delivered"}</span>
          <${sn} state=${m==="read"?"read":m==="delivered"?"delivered":"sent"} />
        </li>`})}
    </ul>`}
  </${q}>`}var Qo=Un(function({m:t,sender:n,prog:o,onOpen:s,onInfo:a}){if(t.deleted)return null;let r=t.direction==="out";return i`<div class=${B("msg",r?"out":"in")} data-id=${t.id} data-state=${t.state}>
    <div class="bubble">
      ${n?i`<span class="sender">${n}</span>`:i`<span class="sr-only">${r?"You:":""}</span>`}
      ${t.media&&i`<${ha} media=${t.media} prog=${o} onOpen=${()=>s(t.media)} />`}
      ${t.text&&i`<span class="text">${t.text}</span>`}
      <span class="meta">
        <time datetime=${t.sent_at}>${tt(t.sent_at)}</time>
        ${r&&(t.group?i`<button type="button" aria-label=${"Message info: "+(Ho[t.state]||t.state)} onClick=${()=>a(t)}><${sn} state=${t.state} /></button>`:i`<${sn} state=${t.state} />`)}
      </span>
      ${r&&t.state==="pending"&&t.pending&&t.pending.reason&&i`<span class="why">${t.pending.reason}</span>`}
      <${xo} m=${t} />
    </div>
  </div>`});function Jo({u:e,onCancel:t}){return i`<div class="msg out upload" data-upload=${e.name}>
    <div class="bubble">
      ${e.preview&&i`<img src=${e.preview} alt="" />`}
      <div class="file-name">${e.name}</div>
      <div class="file-meta">${e.error?i`<span class="error-text">${e.error}</span>`:"sending "+Wt(e.loaded,e.size)+"% of "+ne(e.size)}</div>
      ${!e.error&&i`<progress aria-label=${"Sending "+e.name} max=${e.size||1} value=${e.loaded}></progress>`}
      <div class="row"><button type="button" class="btn" onClick=${t}>${e.error?"Dismiss":"Cancel"}</button></div>
    </div>
  </div>`}var ga=0;function Xo({chatKey:e,dropped:t}){let[n,o]=g(""),[s,a]=g([]),[r,c]=g(!1),u=F(null),p=F(null),l=$=>{let k=[...$].map(x=>({id:++ga,file:x,preview:x.type.startsWith("image/")?URL.createObjectURL(x):""}));k.length&&a(x=>x.concat(k)),u.current&&u.current.focus()},m=$=>a(k=>k.filter(x=>(x.id===$&&x.preview&&URL.revokeObjectURL(x.preview),x.id!==$)));M(()=>{t&&t.length&&l(t)},[t]),M(()=>{u.current&&u.current.focus({preventScroll:!0})},[]),M(()=>{let $=u.current;$&&($.style.height="auto",$.style.height=$.scrollHeight+2+"px")},[n]);let h=async()=>{let $=n.trim();if(r||!$&&!s.length)return;let k=s;if(o(""),a([]),ut(e,!1),k.length){k.forEach((x,S)=>{ro(e,x.file,S===0?$:"").finally(()=>x.preview&&URL.revokeObjectURL(x.preview))});return}c(!0);try{await ao(e,$)}catch(x){o($),b(x)}finally{c(!1),u.current&&u.current.focus()}},f=$=>{$.key==="Enter"&&!$.shiftKey&&!$.isComposing&&($.preventDefault(),h())},y=$=>{let k=$.clipboardData&&$.clipboardData.files;k&&k.length&&($.preventDefault(),l(k))};return i`<div class="composer-wrap">
    ${s.length>0&&i`<ul class="staged" aria-label="Files to send">
      ${s.map($=>i`<li class="staged-item" key=${$.id}>
          ${$.preview?i`<img src=${$.preview} alt="" />`:i`<${_} name="doc" />`}
          <span class="grow">${$.file.name} <span class="muted">${ne($.file.size)}</span></span>
          <button type="button" class="icon-btn" aria-label=${"Remove "+$.file.name} onClick=${()=>m($.id)}><${_} name="close" /></button>
        </li>`)}
    </ul>`}
    <form
      class="composer"
      onSubmit=${$=>{$.preventDefault(),h()}}
    >
      <button type="button" class="icon-btn" aria-label="Attach files" onClick=${()=>p.current.click()}><${_} name="attach" /></button>
      <input ref=${p} type="file" multiple hidden aria-hidden="true" tabindex="-1" onChange=${$=>(l($.target.files),$.target.value="")} />
      <label class="sr-only" for=${"composer-"+e}>${s.length?"Caption":"Message"}</label>
      <textarea
        id=${"composer-"+e}
        ref=${u}
        rows="1"
        placeholder=${s.length?"Add a caption":"Type a message"}
        value=${n}
        onInput=${$=>{o($.target.value),$.target.value&&ut(e,!0)}}
        onKeyDown=${f}
        onPaste=${y}
        aria-describedby="composer-help"
      ></textarea>
      <span id="composer-help" class="sr-only">Enter sends, Shift+Enter starts a new line. Paste or drop files to attach them.</span>
      <button type="submit" class="icon-btn send" aria-label="Send" disabled=${r}><${_} name="send" /></button>
    </form>
  </div>`}var _t=200,Me=50,Zo=600,$a=(e,t)=>e===t||e.length===t.length&&e.every((n,o)=>n===t[o]);function ya({chatKey:e}){let t=v(n=>{let o=n.chats.get(e);return o?{loading:o.loading,hasOlder:o.hasOlder,ready:o.ready,empty:!o.msgs.length}:{empty:!0}});return t.loading?i`<p class="older" role="status">Loading older messages…</p>`:t.hasOlder?i`<p class="older"> </p>`:i`<p class="older">${t.ready?t.empty?"No messages yet":"The beginning of this chat":""}</p>`}var an=class extends ue{constructor(t){super(t),this.state={msgs:null,start:0,end:0,stick:!0,wantUp:!1},this.scroller=null,this.raf=0,this.olderFrom=0,this.openMedia=n=>t.onOpenMedia(n),this.openInfo=n=>t.onInfo(n),this.onScroll=()=>{this.raf||(this.raf=requestAnimationFrame(()=>(this.raf=0,this.check())))},this.setRef=n=>this.scroller=n,this.jump=()=>{let n=this.props.chat.msgs.length;this.setState({start:Math.max(0,n-Me),end:n,stick:!0})}}static getDerivedStateFromProps(t,n){let o=t.chat.msgs;if(o===n.msgs)return null;let s=o.length;if(!n.msgs||!n.msgs.length||!s)return{msgs:o,start:Math.max(0,s-Me),end:s,stick:!0,wantUp:!1};let a=n.msgs[0].id,r=0;if(o[0].id!==a&&(r=o.findIndex(l=>l.id===a),r<0))return{msgs:o,start:Math.max(0,s-Me),end:s,stick:!0,wantUp:!1};let c=n.start+r,u=n.end+r,p=n.end===n.msgs.length;return n.wantUp&&r>0?(c=Math.max(0,c-Me),u=Math.min(u,c+_t)):p&&n.stick&&(u=s,c=Math.max(c,u-_t)),{msgs:o,start:c,end:u,wantUp:n.wantUp&&r===0}}shouldComponentUpdate(t,n){let o=this.props,s=this.state;return t.chat.msgs!==o.chat.msgs||t.group!==o.group||t.progress!==o.progress||!$a(t.uploads,o.uploads)||n.msgs!==s.msgs||n.start!==s.start||n.end!==s.end||n.stick!==s.stick}getSnapshotBeforeUpdate(){let t=this.scroller;if(!t)return null;if(this.state.stick)return{stick:!0};let n=t.scrollTop;for(let o of t.querySelectorAll(".msg[data-id]"))if(o.offsetTop+o.offsetHeight>n)return{id:o.dataset.id,delta:o.offsetTop-n};return null}componentDidMount(){this.scroller.scrollTop=this.scroller.scrollHeight,this.check(),yt(this)}componentDidUpdate(t,n,o){let s=this.scroller;if(o&&o.stick)s.scrollTop=s.scrollHeight;else if(o&&o.id){let a=s.querySelector('.msg[data-id="'+o.id+'"]');a&&(s.scrollTop=a.offsetTop-o.delta)}this.olderFrom&&n.msgs!==this.state.msgs&&n.msgs&&this.state.msgs[0]!==n.msgs[0]&&(performance.measure("pigeon:older-page",{start:this.olderFrom,end:performance.now()}),this.olderFrom=0),this.raf||(this.raf=requestAnimationFrame(()=>(this.raf=0,this.check()))),yt(this)}componentWillUnmount(){cancelAnimationFrame(this.raf)}check(){let t=this.scroller;if(!t)return;let{chat:n}=this.props,{start:o,end:s}=this.state,a=n.msgs.length,r=t.scrollHeight-t.scrollTop-t.clientHeight,c=r<40&&s===a;if(c!==this.state.stick&&this.setState({stick:c}),t.scrollTop<Zo)if(o>0){let u=Math.max(0,o-Me);this.setState({start:u,end:Math.min(s,u+_t),stick:!1})}else n.hasOlder&&!n.loading&&!this.state.wantUp&&(this.olderFrom=performance.now(),ct(n.key).then(u=>{u||(this.olderFrom=0,this.setState({wantUp:!1}))}),this.setState({wantUp:!0}));else if(r<Zo&&s<a){let u=Math.min(a,s+Me);this.setState({end:u,start:Math.max(o,u-_t)})}}render({chat:t,group:n,progress:o,uploads:s},{start:a,end:r,stick:c}){let u=t.msgs,p=[];a===0&&p.push(i`<${ya} key="older" chatKey=${t.key} />`);for(let l=a;l<r;l++){let m=u[l],h=l>0?u[l-1]:null,f=Ft(m.sent_at),y=!h||Ft(h.sent_at)!==f;y&&p.push(i`<div class="day" role="separator" key=${"d"+m.id}>${Ae(m.sent_at)}</div>`);let $=n&&m.direction==="in"&&(y||h.sender!==m.sender||h.direction!=="in")?m.sender_name||H(m.sender):"",k=m.media?o.get(m.media.id):void 0;p.push(i`<${Qo} key=${m.id} m=${m} sender=${$} prog=${k} onOpen=${this.openMedia} onInfo=${this.openInfo} />`)}if(r===u.length)for(let l of s)p.push(i`<${Jo} key=${"u"+l.uid} u=${l} onCancel=${()=>l.error?io(l.uid):l.abort()} />`);return i`<div
        class="messages"
        ref=${this.setRef}
        onScroll=${this.onScroll}
        tabindex="0"
        aria-label="Messages"
        data-start=${a}
        data-end=${r}
        data-total=${u.length}
      >
        ${p}
      </div>
      ${(!c||r<u.length)&&i`<button type="button" class="btn jump" onClick=${this.jump} aria-label="Jump to the latest message"><${_} name="down" /> Latest</button>`}`}};function _a({chatKey:e,group:t,info:n}){let o=e.startsWith("g:"),s=e.slice(2),a=v(()=>G(e)),r=v(h=>o?null:h.presence.get(s)),c=v(()=>o?"":gt(s)),u=v(h=>h.typing.get(e)),p="",l=!1;if(u&&u.size){l=!0;let h=[...u.keys()].map(H);p=o?h.join(", ")+(h.length>1?" are typing…":" is typing…"):"typing…"}else o?p=t?t.members.map(h=>d.me&&h.account===d.me.account?"You":h.name||H(h.account)).join(", "):"":r&&(p=r.state==="online"?"online":r.last_seen?nt(r.last_seen):"");let m=(o?"/group/":"/chat/")+s+"/info";return i`<header class="bar">
    <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${L}><${_} name="back" /></a>
    <${Y} name=${a} group=${o} online=${r&&r.state==="online"} src=${c} />
    <div class="title">
      <button type="button" onClick=${()=>j(n?m.slice(0,-5):m)} aria-label=${(n?"Hide":"Show")+" details of "+a}>
        <h2>${a}</h2>
        <span class=${B("subtitle",l&&"typing")} data-presence=${r?r.state:""}>${p}</span>
      </button>
    </div>
    <a href=${n?m.slice(0,-5):m} class="icon-btn" onClick=${L} aria-label=${o?"Group details":"Contact details"} aria-pressed=${n?"true":"false"}>
      <${_} name="info" />
    </a>
  </header>`}function va({chat:e}){let[t,n]=g(""),o=F("");return M(()=>{let s=e.msgs[e.msgs.length-1];if(!s||s.id===o.current)return;let a=!o.current;o.current=s.id,!a&&s.direction==="in"&&n((s.sender_name||H(s.sender))+": "+(s.text||(s.media?"a file":"")))},[e.msgs]),i`<div class="sr-only" aria-live="polite">${t}</div>`}function es({chatKey:e,info:t}){let n=e.startsWith("g:"),o=e.slice(2),s=v(D=>D.chats.get(e)),a=v(D=>n?D.groups.get(o):null),r=v(D=>D.progress),c=v(D=>D.uploads),u=v(D=>n?null:D.identity.get(o)),[p,l]=g(null),[m,h]=g(null),[f,y]=g(!1),[$,k]=g(null),x=Ze(D=>l(D),[]),S=Ze(D=>h(D),[]),A=c.filter(D=>D.key===e),R=!n||!a||a.status==="active"&&(a.settings.post!=="admins"||a.role==="owner"||a.role==="admin"),ie=n&&a&&a.status!=="active"?a.status==="left"?"You left this group.":"You were removed from this group.":R?"":"Only admins can send messages to this group.",He=D=>{ie||!D.dataTransfer||![...D.dataTransfer.types].includes("Files")||(D.preventDefault(),y(!0))},we=D=>{y(!1),!(ie||!D.dataTransfer||!D.dataTransfer.files.length)&&(D.preventDefault(),k([...D.dataTransfer.files]))};return i`<section
    class="conversation"
    aria-label=${"Chat with "+G(e)}
    data-chat=${e}
    onDragOver=${He}
    onDragLeave=${D=>D.currentTarget===D.target&&y(!1)}
    onDrop=${we}
  >
    <${_a} chatKey=${e} group=${a} info=${t} />
    ${u&&i`<div class="banner" role="alert">
      <${_} name="shield" />
      <span class="grow">${G(e)}'s device keys changed (a reinstall, or someone in between). Compare your safety number with them before you trust new messages.</span>
      <a class="btn" href=${"/chat/"+o+"/info"} onClick=${L}>Compare</a>
    </div>`}
    ${s?i`<${an} key=${e} chat=${s} group=${n} progress=${r} uploads=${A} onOpenMedia=${x} onInfo=${S} />`:i`<div class="messages"></div>`}
    <${ba} chatKey=${e} />
    <${va} chat=${s||{msgs:[]}} />
    ${ie?i`<p class="readonly-note">${ie}</p>`:i`<${Xo} key=${e} chatKey=${e} dropped=${$} />`}
    ${f&&i`<div class="drop-hint" aria-hidden="true">Drop files to send them</div>`}
    ${p&&i`<${Ko} media=${p} onClose=${()=>l(null)} />`}
    ${m&&i`<${Vo} m=${m} onClose=${()=>h(null)} />`}
  </section>`}function ba({chatKey:e}){let t=v(o=>o.typing.get(e)),n=t?[...t.keys()].map(H):[];return i`<div class="typing-line" aria-live="polite" data-typing=${n.length?"yes":"no"}>
    ${n.length?e.startsWith("g:")?n.join(", ")+(n.length>1?" are typing…":" is typing…"):n[0]+" is typing…":""}
  </div>`}function be({onText:e}){let[t,n]=g(!1),[o,s]=g(""),a=F(null),r=async(c,u)=>{try{let p=await Wn(c);if(p)return n(!1),s(""),e(p),!0}catch(p){u||s(p.message||"No QR code found in that image.")}return!1};return M(()=>{let c=u=>{let p=u.clipboardData&&[...u.clipboardData.files].find(l=>l.type.startsWith("image/"));p&&(u.preventDefault(),r(p))};return document.addEventListener("paste",c),()=>document.removeEventListener("paste",c)},[]),i`<div class="scan">
    <div class="row">
      ${navigator.mediaDevices&&navigator.mediaDevices.getUserMedia&&i`<button type="button" class="btn" aria-pressed=${t?"true":"false"} onClick=${()=>n(!t)}>
        <${_} name="camera" /> ${t?"Stop camera":"Scan with camera"}
      </button>`}
      <button type="button" class="btn" onClick=${()=>a.current.click()}><${_} name="qr" /> QR code from an image</button>
      <input
        ref=${a}
        type="file"
        accept="image/png,image/jpeg"
        hidden
        aria-hidden="true"
        tabindex="-1"
        onChange=${c=>{let u=c.target.files[0];c.target.value="",u&&r(u)}}
      />
    </div>
    <p class="muted">You can also paste a screenshot of a QR code here.</p>
    ${t&&i`<${wa} onFrame=${c=>r(c,!0)} onError=${c=>(s(c),n(!1))} />`}
    ${o&&i`<p class="error-text" role="alert">${o}</p>`}
  </div>`}function wa({onFrame:e,onError:t}){let n=F(null);return M(()=>{let o=null,s=0,a=!1,r=document.createElement("canvas"),c=()=>{let u=n.current;if(!(a||!u)){if(u.videoWidth){r.width=u.videoWidth,r.height=u.videoHeight,r.getContext("2d").drawImage(u,0,0),r.toBlob(async p=>{p&&!a&&await e(p)&&(a=!0),a||(s=setTimeout(c,600))},"image/jpeg",.85);return}s=setTimeout(c,300)}};return navigator.mediaDevices.getUserMedia({video:{facingMode:"environment"}}).then(u=>{if(o=u,a)return u.getTracks().forEach(p=>p.stop());n.current.srcObject=u,n.current.play(),c()}).catch(()=>t("The camera is not available: allow it in the browser, or use an image of the code.")),()=>{a=!0,clearTimeout(s),o&&o.getTracks().forEach(u=>u.stop())}},[]),i`<div class="camera"><video ref=${n} muted playsinline aria-label="Camera"></video></div>`}function ts({onClose:e,initial:t}){let[n,o]=g(t||""),[s,a]=g(""),[r,c]=g(""),[u,p]=g(!1),l=se(),m=ot(n);M(()=>{m&&m.kind==="account"&&m.name&&!s&&a(m.name)},[n]);let h=async f=>{if(f.preventDefault(),!m){c("That is not an account ID (pg… 60 characters) or a contact link. Ask your contact for the one on their “My account” screen.");return}p(!0),c("");try{if(m.kind==="invite"){let y=await pt(m.link);P(y.status==="active"?"You joined the group.":"Admitted: the group appears once its history arrives."),e(),j("/group/"+y.group);return}await Xt(m.account,s.trim()),e(),j("/chat/"+m.account)}catch(y){c(y.message)}finally{p(!1)}};return i`<${q}
    title="Add contact"
    onClose=${e}
    actions=${i`<button type="button" class="btn" onClick=${e}>Cancel</button>
      <button type="submit" form="add-contact" class="btn primary" disabled=${u}>${m&&m.kind==="invite"?"Join group":"Add"}</button>`}
  >
    <form id="add-contact" onSubmit=${h}>
      <label class="field">
        <span>Account ID or link</span>
        <input ref=${l} type="text" name="account" autocomplete="off" spellcheck="false" value=${n} onInput=${f=>o(f.target.value)} placeholder="pg… or pigeon:pg…" />
      </label>
      ${m&&m.kind==="invite"&&i`<p class="muted">This is a group invite link: adding it joins the group.</p>`}
      ${(!m||m.kind==="account")&&i`<label class="field">
        <span>Name (only you see it)</span>
        <input type="text" name="name" value=${s} onInput=${f=>a(f.target.value)} />
      </label>`}
      ${r&&i`<p class="error-text" role="alert">${r}</p>`}
    </form>
    <${be} onText=${f=>(o(f),c(""))} />
  </${q}>`}function ns(){let e=v(s=>s.me),[t,n]=g(localStorage.getItem("pigeon.my-name")||"");if(!e)return null;let o=zn(e.account,t.trim());return i`<div class="card my-account">
    <h3>My account</h3>
    <p class="muted">Others add you with this ID, this link or by scanning the code.</p>
    <p class="mono" data-account=${e.account}>${e.account}</p>
    <div class="row">
      <button type="button" class="btn" onClick=${async()=>P(await je(e.account)?"Account ID copied.":"Copy failed: select the ID and copy it.")}>
        <${_} name="copy" /> Copy ID
      </button>
      <button type="button" class="btn" onClick=${async()=>P(await je(o)?"Contact link copied.":"Copy failed.")}>
        <${_} name="link" /> Copy contact link
      </button>
    </div>
    <label class="field">
      <span>Name to suggest in your link (optional)</span>
      <input
        type="text"
        value=${t}
        onInput=${s=>{n(s.target.value),localStorage.setItem("pigeon.my-name",s.target.value)}}
      />
    </label>
    <img class="qr" src=${ye(o)} alt=${"QR code of your contact link "+o} width="220" height="220" />
    <p class="muted">Device ${e.device} · peer ${z(e.peer_id)}</p>
  </div>`}function os({onAdd:e}){let n=[...v(o=>o.contacts).values()].sort((o,s)=>(o.name||o.account).localeCompare(s.name||s.account));return i`<section class="pane page" aria-labelledby="contacts-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${L}><${_} name="back" /></a>
      <h2 id="contacts-title">Contacts</h2>
      <button type="button" class="btn primary" onClick=${e}><${_} name="person-add" /> Add contact</button>
    </header>
    <div class="page-body">
      <div class="card">
        <ul class="list">
          ${n.map(o=>i`<li key=${o.account} data-account=${o.account}>
              <${Y} small name=${o.name} />
              <span class="grow">
                <strong>${o.name||z(o.account)}</strong>
                ${o.verified&&i` <span class="verified">✓ verified</span>`}
                ${o.identity_changed_at&&i` <span class="error-text">keys changed</span>`}
                <div class="mono muted">${o.account}</div>
              </span>
              <a class="btn" href=${"/chat/"+o.account} onClick=${L}><${_} name="chat" /> Message</a>
            </li>`)}
          ${!n.length&&i`<li class="muted">No contacts yet. Add one with their account ID, link or QR code.</li>`}
        </ul>
      </div>
      <${ns} />
    </div>
  </section>`}function ss(){return i`<section class="pane page" aria-labelledby="me-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${L}><${_} name="back" /></a>
      <h2 id="me-title">My account</h2>
    </header>
    <div class="page-body"><${ns} /></div>
  </section>`}function ka({account:e}){let t=v(f=>f.contacts.get(e)),n=v(f=>f.identity.get(e)),[o,s]=g(""),[a,r]=g(""),[c,u]=g(!1),[p,l]=g(null);M(()=>{C("/v1/contacts/"+O(e)+"/safety-number").then(f=>s(f.safety_number)).catch(f=>r(f.message))},[e,t&&t.identity_changed_at,n]);let m=Yn(o).split(" ").filter(Boolean),h=async()=>{try{await fo(e),P("Marked as verified.")}catch(f){b(f)}};return i`<div class="section safety-number">
    <h3>Safety number</h3>
    ${(n||t&&t.identity_changed_at)&&i`<p class="banner" role="alert"><${_} name="shield" /> Their device keys changed${t&&t.verified?" since you verified it":""} (a reinstall, or someone in between). Compare the safety number again before you trust new messages.</p>`}
    ${a&&i`<p class="error-text">${a}</p>`}
    ${o&&i`<div class="safety" aria-label=${"Safety number "+m.join(" ")} data-safety=${o}>${m.map((f,y)=>i`<span key=${y}>${f}</span>`)}</div>
      <img class="qr" src=${ye(o)} alt="QR code of the safety number, for the other side to scan" width="220" height="220" />
      <p class="muted">Compare these digits with ${t&&t.name?t.name:"your contact"}'s screen, in person or on a call, or scan each other's code.</p>`}
    ${c&&i`<${be}
      onText=${f=>{u(!1),l(f.replace(/\s/g,"")===o)}}
    />`}
    ${p===!0&&i`<p class="verified" role="status">The numbers match.</p>`}
    ${p===!1&&i`<p class="error-text" role="alert">The numbers do not match: do not verify.</p>`}
    <div class="row">
      <button type="button" class="btn" onClick=${()=>u(!c)}><${_} name="camera" /> ${c?"Stop scanning":"Scan their code"}</button>
      ${t&&t.verified&&!t.identity_changed_at?i`<span class="verified"><${_} name="shield" /> Verified</span>`:i`<button type="button" class="btn primary" onClick=${h} disabled=${!t}>Mark as verified</button>`}
    </div>
  </div>`}var xa=[[-1,"As in Settings"],[0,"Never"],[1<<20,"Up to 1 MB"],[16<<20,"Up to 16 MB"],[100<<20,"Up to 100 MB"],[16*1024*1024*1024,"Always"]];function Ca({account:e}){let[t,n]=g(localStorage.getItem("pigeon.auto."+e)||"-1"),o=async s=>{try{await U("/v1/conversations/"+O(e)+"/auto-download",{max_bytes:Number(s)}),localStorage.setItem("pigeon.auto."+e,s),n(s)}catch(a){b(a)}};return i`<label class="field">
    <span>Download files from this chat on arrival</span>
    <select value=${t} onChange=${s=>o(s.target.value)}>
      ${xa.map(([s,a])=>i`<option value=${String(s)}>${a}</option>`)}
    </select>
  </label>`}function as({account:e}){let t=v(c=>c.contacts.get(e)),n=v(c=>c.presence.get(e)),[o,s]=g(t?t.name:"");M(()=>s(t?t.name:""),[t&&t.name]);let a=async c=>{c.preventDefault();try{await U("/v1/contacts/"+O(e),{name:o.trim()}),await Q(),X(),P("Saved.")}catch(u){b(u)}},r=async()=>{if(confirm("Remove this contact? The chat stays."))try{await W("/v1/contacts/"+O(e)),await Q()}catch(c){b(c)}};return i`<aside class="drawer" aria-label="Contact details">
    <header class="bar">
      <a href=${"/chat/"+e} class="icon-btn" onClick=${L} aria-label="Close details"><${_} name="close" /></a>
      <h2>Contact details</h2>
    </header>
    <div class="section">
      ${t?i`<form onSubmit=${a} class="row">
            <label class="field grow"><span>Name</span><input type="text" value=${o} onInput=${c=>s(c.target.value)} /></label>
            <button class="btn" type="submit">Save</button>
          </form>`:i`<p>Not in your contacts.</p>
            <button type="button" class="btn primary" onClick=${()=>Xt(e,"").catch(b)}>Add to contacts</button>`}
      <p class="label">Account ID</p>
      <p class="mono">${e}</p>
      ${n&&i`<p class="muted">${n.state==="online"?"Online":n.state==="offline"?"Offline":"Presence not shared"}</p>`}
    </div>
    <${ka} account=${e} />
    <div class="section">
      <h3>Files</h3>
      <${Ca} account=${e} />
    </div>
    <${No} account=${e} />
    ${t&&i`<div class="section"><button type="button" class="btn danger" onClick=${r}><${_} name="trash" /> Remove contact</button></div>`}
  </aside>`}function rs({chosen:e,onChange:t,exclude:n}){let s=[...v(a=>a.contacts).values()].filter(a=>!n||!n.has(a.account));return s.length?i`<fieldset class="pick">
    <legend class="sr-only">Members</legend>
    ${s.map(a=>i`<label key=${a.account}>
        <input
          type="checkbox"
          checked=${e.has(a.account)}
          onChange=${r=>{let c=new Set(e);r.target.checked?c.add(a.account):c.delete(a.account),t(c)}}
        />
        ${a.name||z(a.account)}
      </label>`)}
  </fieldset>`:i`<p class="muted">No contacts to choose from. Add contacts first, or share an invite link.</p>`}function is({onClose:e}){let[t,n]=g(""),[o,s]=g(""),[a,r]=g(new Set),[c,u]=g(""),[p,l]=g(!1),m=se(),h=async f=>{if(f.preventDefault(),!t.trim()){u("Give the group a name.");return}l(!0);try{let y=await mo(t.trim(),o.trim(),[...a]);e(),j("/group/"+y.id)}catch(y){u(y.message)}finally{l(!1)}};return i`<${q}
    title="New group"
    onClose=${e}
    actions=${i`<button type="button" class="btn" onClick=${e}>Cancel</button>
      <button type="submit" form="new-group" class="btn primary" disabled=${p}>Create</button>`}
  >
    <form id="new-group" onSubmit=${h}>
      <label class="field"><span>Name</span><input ref=${m} type="text" name="name" value=${t} onInput=${f=>n(f.target.value)} /></label>
      <label class="field"><span>Description (optional)</span><textarea rows="2" name="description" value=${o} onInput=${f=>s(f.target.value)}></textarea></label>
      <p class="label">Members</p>
      <${rs} chosen=${a} onChange=${r} />
      ${c&&i`<p class="error-text" role="alert">${c}</p>`}
    </form>
  </${q}>`}function cs({onClose:e}){let[t,n]=g(""),[o,s]=g(""),[a,r]=g(!1),c=se(),u=async p=>{let l=ot(p);if(!l||l.kind!=="invite"){s("That is not a group invite link (it starts with pgi). Ask a member for a new one.");return}r(!0),s("");try{let m=await pt(l.link);P(m.status==="active"?"You joined the group.":"Admitted: the group appears once its history arrives."),e(),j("/group/"+m.group)}catch(m){s(m.message)}finally{r(!1)}};return i`<${q}
    title="Join a group"
    onClose=${e}
    actions=${i`<button type="button" class="btn" onClick=${e}>Cancel</button>
      <button type="submit" form="join-group" class="btn primary" disabled=${a}>${a?"Asking the group…":"Join"}</button>`}
  >
    <form
      id="join-group"
      onSubmit=${p=>{p.preventDefault(),u(t)}}
    >
      <label class="field"><span>Invite link</span><input ref=${c} type="text" name="link" autocomplete="off" spellcheck="false" value=${t} onInput=${p=>n(p.target.value)} placeholder="pgi…" /></label>
      ${o&&i`<p class="error-text" role="alert">${o}</p>`}
    </form>
    <${be} onText=${p=>(n(p),u(p))} />
  </${q}>`}var cn=(e,t)=>e.role==="owner"||e.role==="admin"||e.settings&&e.settings[t]==="members"&&e.role==="member";function Sa({g:e}){let[t,n]=g(""),[o,s]=g("86400"),a=async()=>{try{let c=await I("/v1/groups/"+e.id+"/invites",{ttl_seconds:Number(o)});n(c.link),J(e.id)}catch(c){b(c)}},r=async()=>{try{await I("/v1/groups/invites/revoke",{link:t}),n(""),J(e.id),P("Invite link revoked: nobody can join with it now.")}catch(c){b(c)}};return i`<div class="section invites">
    <h3>Invite link</h3>
    ${t?i`<p class="mono" data-invite=${t}>${t}</p>
          <img class="qr" src=${ye(t)} alt="QR code of the invite link" width="220" height="220" />
          <div class="row">
            <button type="button" class="btn" onClick=${async()=>P(await je(t)?"Invite link copied.":"Copy failed: select the link and copy it.")}>
              <${_} name="copy" /> Copy
            </button>
            <button type="button" class="btn danger" onClick=${r}>Revoke</button>
          </div>`:i`<div class="row">
          <label class="field grow">
            <span>Valid for</span>
            <select value=${o} onChange=${c=>s(c.target.value)}>
              <option value="3600">1 hour</option>
              <option value="86400">1 day</option>
              <option value="604800">1 week</option>
              <option value="0">Until revoked</option>
            </select>
          </label>
          <button type="button" class="btn primary" onClick=${a}><${_} name="link" /> Create invite link</button>
        </div>`}
    ${e.invites&&e.invites.length>0&&i`<p class="muted">${e.invites.length} invite link${e.invites.length>1?"s":""} open.</p>`}
  </div>`}function Da({g:e}){let t=v(l=>l.contacts);v(l=>l.profiles);let[n,o]=g(!1),[s,a]=g(new Set),r=d.me&&d.me.account,c=e.role==="owner"||e.role==="admin",u=async l=>{try{await l(),await J(e.id)}catch(m){b(m)}},p="/v1/groups/"+e.id+"/members";return i`<div class="section members">
    <h3>${e.members.length} members</h3>
    <ul class="list">
      ${e.members.map(l=>{let m=l.account===r?"You":l.name||(t.get(l.account)||{}).name||z(l.account);return i`<li key=${l.account} data-account=${l.account}>
          <${Y} small name=${m} src=${gt(l.account)} />
          <span class="grow">${m}</span>
          ${l.role!=="member"&&i`<span class="role">${l.role}</span>`}
          ${c&&l.account!==r&&l.role!=="owner"&&i`<span class="row">
            ${l.role==="member"?i`<button type="button" class="btn" onClick=${()=>u(()=>U(p+"/"+l.account+"/role",{role:"admin"}))} aria-label=${"Make "+m+" an admin"}>Make admin</button>`:e.role==="owner"&&i`<button type="button" class="btn" onClick=${()=>u(()=>U(p+"/"+l.account+"/role",{role:"member"}))} aria-label=${"Make "+m+" a member"}>Dismiss as admin</button>`}
            <button type="button" class="btn danger" onClick=${()=>confirm("Remove "+m+" from the group?")&&u(()=>W(p+"/"+l.account))} aria-label=${"Remove "+m}>
              Remove
            </button>
          </span>`}
        </li>`})}
    </ul>
    ${cn(e,"add")&&(n?i`<div>
          <${rs} chosen=${s} onChange=${a} exclude=${new Set(e.members.map(l=>l.account))} />
          <div class="row">
            <button
              type="button"
              class="btn primary"
              disabled=${!s.size}
              onClick=${()=>u(async()=>{await I(p,{accounts:[...s],role:"member"}),o(!1),a(new Set)})}
            >
              Add ${s.size||""}
            </button>
            <button type="button" class="btn" onClick=${()=>o(!1)}>Cancel</button>
          </div>
        </div>`:i`<button type="button" class="btn" onClick=${()=>o(!0)}><${_} name="person-add" /> Add members</button>`)}
  </div>`}function rn({g:e,k:t,label:n}){let o=async s=>{try{await Ee("/v1/groups/"+e.id,{settings:{...e.settings,[t]:s}}),await J(e.id)}catch(a){b(a)}};return i`<label class="field">
    <span>${n}</span>
    <select value=${e.settings[t]} onChange=${s=>o(s.target.value)}>
      <option value="members">All members</option>
      <option value="admins">Only admins</option>
    </select>
  </label>`}function Ma({g:e}){return i`<div class="section">
    <h3>Permissions</h3>
    <${rn} g=${e} k="post" label="Who can send messages" />
    <${rn} g=${e} k="add" label="Who can add members" />
    <${rn} g=${e} k="edit_info" label="Who can change name and description" />
    <${Co} g=${e} />
  </div>`}function ls({id:e}){let t=v(l=>l.groups.get(e)),[n,o]=g(null),[s,a]=g(null);if(!t)return i`<aside class="drawer"><p class="hint">Loading the group…</p></aside>`;let r=t.status==="active",c=r&&cn(t,"edit_info"),u=async l=>{l.preventDefault();try{await Ee("/v1/groups/"+e,{name:(n??t.name).trim(),description:(s??t.description??"").trim()}),await J(e),await me(),o(null),a(null),P("Saved.")}catch(m){b(m)}},p=async()=>{if(confirm("Leave "+t.name+"? You will not get its messages any more."))try{await I("/v1/groups/"+e+"/leave"),await J(e)}catch(l){b(l)}};return i`<aside class="drawer" aria-label="Group details" data-group=${e}>
    <header class="bar">
      <a href=${"/group/"+e} class="icon-btn" onClick=${L} aria-label="Close details"><${_} name="close" /></a>
      <h2>Group details</h2>
    </header>
    <div class="section">
      ${c?i`<form onSubmit=${u}>
            <label class="field"><span>Name</span><input type="text" name="name" value=${n??t.name} onInput=${l=>o(l.target.value)} /></label>
            <label class="field"><span>Description</span><textarea rows="3" name="description" value=${s??t.description??""} onInput=${l=>a(l.target.value)}></textarea></label>
            <button type="submit" class="btn" disabled=${n===null&&s===null}>Save</button>
          </form>`:i`<h3>${t.name}</h3>
            <p>${t.description}</p>`}
      <p class="muted">${r?"Your role: "+t.role:t.status==="left"?"You left this group.":"You were removed from this group."}</p>
    </div>
    ${r&&i`<${Da} g=${t} />`}
    ${r&&cn(t,"add")&&i`<${Sa} g=${t} />`}
    ${r&&(t.role==="owner"||t.role==="admin")&&i`<${Ma} g=${t} />`}
    ${r&&i`<div class="section"><button type="button" class="btn danger" onClick=${p}>Leave group</button></div>`}
  </aside>`}function un(e=localStorage.getItem("pigeon.theme")||"system"){e==="light"||e==="dark"?document.documentElement.dataset.theme=e:delete document.documentElement.dataset.theme}function Ta(){let[e,t]=g(null),[n,o]=g(""),[s,a]=g(""),r=()=>C("/v1/relays").then(t).catch(b);M(()=>{r();let p=setInterval(r,1e4);return()=>clearInterval(p)},[]);let c=async p=>{p.preventDefault();try{await I("/v1/relays",s.trim()?{addr:n.trim(),invite:s.trim()}:{addr:n.trim()}),o(""),a(""),P("Relay added: the node reserves a slot there now."),r()}catch(l){b(l)}},u=async p=>{if(confirm("Stop using relay "+z(p.peer_id)+"? What its mailbox holds for you is taken first."))try{await W("/v1/relays/"+p.peer_id),r()}catch(l){b(l)}};return i`<div class="card relays">
    <h3>Relays</h3>
    <p class="muted">Relays carry your encrypted messages while you are offline and connect you when you cannot be reached directly. They only see ciphertext.</p>
    <ul class="list">
      ${(e||[]).map(p=>i`<li key=${p.peer_id} data-peer=${p.peer_id}>
          <span class="grow">
            <span class="mono">${p.addr}</span>
            <div class="relay-stats">
              ${p.closing?"closing":p.reserved?"connected":"not connected"}
              ${p.latency_ms?" · "+p.latency_ms.toFixed(1)+" ms":""}
              ${p.region?" · "+p.region:""}
              ${p.mailbox?" · mailbox":""}
              ${p.push&&p.push!=="off"?" · push "+p.push+(p.push_reason?" ("+p.push_reason+")":""):""}
              ${p.last_error?i` · <span class="error-text">${p.last_error}</span>`:""}
            </div>
          </span>
          ${!p.closing&&i`<button type="button" class="btn danger" onClick=${()=>u(p)} aria-label=${"Remove relay "+p.addr}>Remove</button>`}
        </li>`)}
      ${e&&!e.length&&i`<li class="muted">No relays: others reach you only while you are online and reachable.</li>`}
    </ul>
    <form onSubmit=${c}>
      <label class="field"><span>Relay address</span><input type="text" name="relay" value=${n} onInput=${p=>o(p.target.value)} placeholder="/ip4/…/tcp/…/p2p/12D3Koo…" spellcheck="false" /></label>
      <label class="field"><span>Invite token (for invite-only relays)</span><input type="text" value=${s} onInput=${p=>a(p.target.value)} /></label>
      <button type="submit" class="btn" disabled=${!n.trim()}>Add relay</button>
    </form>
  </div>`}function Ia(){let[e,t]=g(null),[n,o]=g("unifiedpush"),[s,a]=g(""),[r,c]=g(""),[u,p]=g(""),l=()=>C("/v1/push").then(t).catch(b);M(()=>{l()},[]);let m=async f=>{f.preventDefault();let y={kind:n};n==="unifiedpush"||n==="webhook"?y.url=s.trim():y.token=r.trim(),n==="apns"&&(y.topic=u.trim());try{await U("/v1/push",y),P("Push endpoint set; each relay says below whether it will use it."),l()}catch($){b($)}},h=async()=>{try{await W("/v1/push"),l()}catch(f){b(f)}};return i`<div class="card push">
    <h3>Push wake-ups</h3>
    <p class="muted">Your relays can wake a phone or a server of yours when something arrives while this device is away. The wake-up carries no content.</p>
    ${e&&i`<p>${e.endpoint?"Now: "+e.described:"No push endpoint."}</p>
      <ul class="list">
        ${e.relays.map(f=>i`<li key=${f.peer_id}><span class="grow mono">${z(f.peer_id)}</span><span>${f.state}${f.reason?": "+f.reason:""}</span></li>`)}
      </ul>`}
    <form onSubmit=${m}>
      <label class="field">
        <span>Kind</span>
        <select value=${n} onChange=${f=>o(f.target.value)}>
          <option value="unifiedpush">UnifiedPush</option>
          <option value="webhook">Webhook</option>
          <option value="fcm">Firebase (FCM)</option>
          <option value="apns">Apple (APNs)</option>
        </select>
      </label>
      ${n==="unifiedpush"||n==="webhook"?i`<label class="field"><span>URL</span><input type="url" value=${s} onInput=${f=>a(f.target.value)} /></label>`:i`<label class="field"><span>Token</span><input type="text" value=${r} onInput=${f=>c(f.target.value)} /></label>`}
      ${n==="apns"&&i`<label class="field"><span>Topic</span><input type="text" value=${u} onInput=${f=>p(f.target.value)} /></label>`}
      <div class="row">
        <button type="submit" class="btn">Set</button>
        ${e&&e.endpoint&&i`<button type="button" class="btn danger" onClick=${h}>Turn off</button>`}
      </div>
    </form>
  </div>`}function Ra(){let[e,t]=g("");M(()=>{C("/v1/presence/privacy").then(o=>t(o.who)).catch(b)},[]);let n=async o=>{try{await U("/v1/presence/privacy",{who:o}),t(o),P("Saved.")}catch(s){b(s)}};return i`<div class="card">
    <h3>Privacy</h3>
    <label class="field">
      <span>Who sees when you are online and when you were last seen</span>
      <select value=${e} onChange=${o=>n(o.target.value)}>
        ${!e&&i`<option value="">Loading…</option>`}
        <option value="everyone">Everyone</option>
        <option value="contacts">My contacts</option>
        <option value="nobody">Nobody</option>
      </select>
    </label>
  </div>`}var ln=[[0,"Never (download when I ask)"],[1<<20,"Files up to 1 MB"],[16<<20,"Files up to 16 MB"],[100<<20,"Files up to 100 MB"],[16*1024*1024*1024,"All files"]];function Pa(){let e=v(s=>s.autoDownload),t=e?e.max_bytes:null,n=t==null||ln.some(([s])=>s===t)?ln:[...ln,[t,"Files up to "+ne(t)]],o=async s=>{try{await U("/v1/media-settings/auto-download",{max_bytes:Number(s)}),await Kt()}catch(a){b(a)}};return i`<div class="card">
    <h3>Automatic downloads</h3>
    <label class="field">
      <span>Download files on arrival</span>
      <select value=${t==null?"":String(t)} onChange=${s=>o(s.target.value)}>
        ${n.map(([s,a])=>i`<option value=${String(s)}>${a}</option>`)}
      </select>
    </label>
    <p class="muted">Each chat can have its own setting in its details.</p>
  </div>`}function qa(){let[e,t]=g(localStorage.getItem("pigeon.theme")||"system"),[n,o]=g(ft()),s=a=>{localStorage.setItem("pigeon.theme",a),t(a),un(a)};return i`<div class="card">
    <h3>Appearance and notifications</h3>
    <fieldset class="field">
      <legend class="label">Theme</legend>
      <div class="row">
        ${["system","light","dark"].map(a=>i`<label key=${a}><input type="radio" name="theme" value=${a} checked=${e===a} onChange=${()=>s(a)} /> ${a==="system"?"Follow the system":a==="light"?"Light":"Dark"}</label>`)}
      </div>
    </fieldset>
    <p>
      Notifications:
      ${n==="granted"?" on, while this tab is in the background.":n==="denied"?" blocked in this browser’s site settings.":n==="unsupported"?" not supported by this browser.":i` <button type="button" class="btn" onClick=${async()=>o(await mt())}>Turn on</button>`}
    </p>
  </div>`}function La(){return i`<div class="card">
    <h3>This browser</h3>
    <p class="muted">Signing out ends this browser's session; run <code>pigeon web</code> to sign in again.</p>
    <button type="button" class="btn danger" onClick=${async()=>{try{await I("/v1/web/logout")}catch(t){if(t.status!==401)return b(t)}d.boot="signedout",d.me=null,location.replace("/")}}>Sign out</button>
  </div>`}function us(){return i`<section class="pane page" aria-labelledby="settings-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${L}><${_} name="back" /></a>
      <h2 id="settings-title">Settings</h2>
    </header>
    <div class="page-body">
      <${Lo} />
      <${Io} />
      <${qa} />
      <${Ra} />
      <${Pa} />
      <${Ta} />
      <${Ia} />
      <${La} />
    </div>
  </section>`}function Ea(){let e=d.convs.map(n=>({key:n.key,name:n.name||G(n.key),group:!!n.group})),t=new Set(e.map(n=>n.key));for(let n of d.contacts.values()){let o=_e(n.account);t.has(o)||e.push({key:o,name:n.name||G(o),group:!1})}return e}function ps({onClose:e}){let[t,n]=g(""),[o,s]=g(0),a=se(),r=t.trim().toLowerCase(),c=Ea(),u=(r?c.filter(h=>h.name.toLowerCase().includes(r)):c).slice(0,50),p=Math.min(o,u.length-1),l=h=>{h&&(e(),j(Z(h.key)))},m=h=>{h.key==="ArrowDown"?(h.preventDefault(),s((p+1)%Math.max(1,u.length))):h.key==="ArrowUp"?(h.preventDefault(),s((p-1+u.length)%Math.max(1,u.length))):h.key==="Enter"&&(h.preventDefault(),l(u[p]))};return i`<${q} title="Go to chat" onClose=${e} class="switcher">
    <label class="sr-only" for="switcher-input">Chat name</label>
    <input
      id="switcher-input"
      ref=${a}
      type="text"
      role="combobox"
      aria-expanded="true"
      aria-controls="switcher-list"
      aria-autocomplete="list"
      aria-activedescendant=${u.length?"sw-"+p:void 0}
      autocomplete="off"
      placeholder="Type a name"
      value=${t}
      onInput=${h=>(n(h.target.value),s(0))}
      onKeyDown=${m}
    />
    <ul id="switcher-list" class="switcher-list" role="listbox" aria-label="Chats">
      ${u.map((h,f)=>i`<li id=${"sw-"+f} key=${h.key} role="option" aria-selected=${f===p?"true":"false"} onClick=${()=>l(h)} data-key=${h.key}>
          <${Y} small name=${h.name} group=${h.group} />
          ${h.name}
        </li>`)}
      ${!u.length&&i`<li class="muted" role="option" aria-disabled="true" aria-selected="false">No chat matches.</li>`}
    </ul>
  </${q}>`}var Aa=500,vt=null,ds="";function ms(){return d.boot="setup",d.setup=null,w(),new Promise(e=>{vt=e,gs()})}function hs(){let e=vt;vt=null,e&&e()}async function gs(){if(vt){try{d.setup=await C("/v1/setup"),d.setupDown=""}catch(e){d.setupDown=e.message}if(w(),d.setup&&d.setup.state==="ready"){hs();return}setTimeout(gs,Aa)}}var fs=e=>(e||0).toLocaleString("en-US");function Na({failed:e,onLink:t}){let[n,o]=g(!1),[s,a]=g("");return i`<div class="setup-choice">
    <button type="button" class="btn primary create-account" disabled=${n} onClick=${async()=>{o(!0),a("");try{await I("/v1/setup/create"),d.setup={state:"creating"},w()}catch(c){a(c.message)}o(!1)}}>Create a new account</button>
    <button type="button" class="btn link-account" disabled=${n} onClick=${t}>Link to an account I already have</button>
    ${(s||e)&&i`<p class="error-text setup-error" role="alert">${s||e.error}</p>`}
  </div>`}function Ua({failed:e,onBack:t}){let[n,o]=g(""),[s,a]=g(ds),[r,c]=g(!1),[u,p]=g(""),l=async h=>{h.preventDefault(),c(!0),p("");try{await I("/v1/setup/link",{code:n.trim(),name:s.trim()}),d.setup={state:"linking"},w()}catch(f){p(f.message)}c(!1)},m=u||e&&e.error;return i`<form class="setup-link" onSubmit=${l}>
    <p>On the device that has your account, open Settings › Devices › <strong>Link a device</strong> (or run <code>pigeon devices link</code>), then paste its code here.</p>
    <label class="field">
      <span>Link code</span>
      <textarea class="mono link-code link-code-input" rows="4" spellcheck="false" placeholder="pigeon-link:…" value=${n} onInput=${h=>o(h.target.value)}></textarea>
    </label>
    <${be} onText=${o} />
    <label class="field">
      <span>Name of this device (optional)</span>
      <input type="text" class="device-name-input" maxlength="64" placeholder="this computer's name" value=${s} onInput=${h=>a(ds=h.target.value)} />
    </label>
    ${m&&i`<p class="error-text setup-error" role="alert" data-code=${u?"":e.code}>${m}</p>`}
    <div class="row">
      <button type="button" class="btn" onClick=${t}>Back</button>
      <button type="submit" class="btn primary" disabled=${r||!n.trim()}>Link this device</button>
    </div>
  </form>`}function $s(){let e=v(a=>a.setup),t=v(a=>a.setupDown),[n,o]=g(""),s;if(!e)s=i`<p class="muted">Asking the daemon…</p>`;else if(e.state==="creating")s=i`<p role="status">Creating your account…</p>`;else if(e.state==="linking")s=e.sas?i`<p>Check that your other device shows this code, and confirm there:</p>
          <p class="sas" aria-label=${"Confirmation code "+e.sas} data-sas=${e.sas}>${e.sas.slice(0,3)} ${e.sas.slice(3)}</p>
          <p class="muted">If it shows other digits, cancel there: someone else has your link code.</p>`:i`<p role="status">Asking your other device…</p>`;else if(e.state==="syncing"||e.state==="ready"){let a=e.history||{};s=i`<p>This device is linked to your account.</p>
      <p class="setup-history" role="status">${a.error?"Getting your history stopped ("+a.error+"); it goes on when the devices meet again.":"Getting your history: "+fs(a.done)+" of "+fs(a.total)}</p>
      <progress max=${a.total||1} value=${a.done||0}></progress>
      <button type="button" class="btn open-app" onClick=${hs}>Open Pigeon now</button>`}else n==="link"||n===""&&e.error&&e.error.code!=="internal"?s=i`<${Ua} failed=${e.error} onBack=${()=>o("choice")} />`:s=i`<p>This device has no Pigeon account yet.</p><${Na} failed=${e.error} onLink=${()=>o("link")} />`;return i`<main class="signin setup" aria-labelledby="setup-title" data-state=${e?e.state:""}>
    <h1 id="setup-title">Set up Pigeon</h1>
    ${s}
    ${t&&i`<p class="error-text" role="alert">${t}</p>`}
  </main>`}function Oa(){return i`<main class="signin" aria-labelledby="signin-title">
    <h1 id="signin-title">Sign in to Pigeon</h1>
    <p>This browser is not signed in to your Pigeon node (or its session ended).</p>
    <p>In a terminal on this computer, run <code>pigeon web</code>: it prints a one-time login link and opens it in your browser.</p>
    <p class="muted">The link works once, for 10 minutes. The session then lasts 30 days from its last use.</p>
  </main>`}function ja(){let e=v(t=>t.toasts);return i`<div class="toasts" role="status" aria-live="polite">
    ${e.map(t=>i`<div key=${t.id} class=${"toast "+t.kind} role=${t.kind==="error"?"alert":void 0}>
        <span class="grow">${t.text}</span>
        <button type="button" aria-label="Dismiss" onClick=${()=>Yt(t.id)}><${_} name="close" /></button>
      </div>`)}
  </div>`}function Fa(){return i`<main class="pane empty-pane" id="main">
    <div class="card">
      <h2>Pigeon</h2>
      <p>Pick a chat on the left, or press <kbd>Ctrl</kbd>+<kbd>K</kbd> to jump to one.</p>
      <p class="muted">Messages are end-to-end encrypted and stored on your own node.</p>
    </div>
  </main>`}function Wa(){let e=v(c=>c.boot),t=v(c=>c.storageFull),n=go(),[o,s]=g("");if(M(()=>{n.name==="chat"?Vt(n.key):oo()},[n.name,n.key,e]),M(()=>{let c=u=>{(u.ctrlKey||u.metaKey)&&!u.altKey&&u.key.toLowerCase()==="k"&&(u.preventDefault(),s("switcher"))};return document.addEventListener("keydown",c),()=>document.removeEventListener("keydown",c)},[]),e==="signedout")return i`<${Oa} />`;if(e==="setup")return i`<${$s} />`;if(e==="error")return i`<main class="signin"><h1>Pigeon</h1><p class="error-text">${d.bootError}</p></main>`;let a=()=>s(""),r;if(n.name==="chat"){let c=i`<${es} key=${n.key} chatKey=${n.key} info=${n.info} />`,u=n.info&&(n.key.startsWith("g:")?i`<${ls} id=${n.key.slice(2)} />`:i`<${as} account=${n.key.slice(2)} />`);r=i`<main class="pane" id="main">${u?i`<div class="with-drawer">${c}${u}</div>`:c}</main>`}else n.name==="contacts"?r=i`<${os} onAdd=${()=>s("contact")} />`:n.name==="me"?r=i`<${ss} />`:n.name==="settings"?r=i`<${us} />`:n.name==="requests"?r=i`<${Ao} />`:r=i`<${Fa} />`;return i`<div class=${"app"+(n.name!=="home"?" chat-open":"")} data-boot=${e}>
    <a class="skip" href="#main">Skip to conversation</a>
    <${Wo}
      current=${n.key}
      onNewGroup=${()=>s("group")}
      onAddContact=${()=>s("contact")}
      onJoin=${()=>s("join")}
    />
    ${t&&i`<div class="banner" role="alert">The disk is nearly full: free some space to receive messages and files again.</div>`}
    ${r}
    ${o==="switcher"&&i`<${ps} onClose=${a} />`}
    ${o==="group"&&i`<${is} onClose=${a} />`}
    ${o==="contact"&&i`<${ts} onClose=${a} />`}
    ${o==="join"&&i`<${cs} onClose=${a} />`}
    <${Ro} />
    <${ja} />
  </div>`}function Ba(){let e=v(t=>t.conn);return M(()=>{document.body.dataset.conn=e},[e]),i`<${Wa} />`}function Ha(){return new Promise(e=>document.hidden?e():requestAnimationFrame(()=>setTimeout(e)))}async function Ga(){On(()=>{d.boot="signedout",w()});let e=C("/v1/info");e.catch(()=>{}),await Ha();let t=document.getElementById("app");t.textContent="",t.className="",Tt(i`<${Ba} />`,t);try{d.me=await e.catch(async n=>{if(n.code!=="not_set_up")throw n;return await ms(),d.boot="loading",C("/v1/info")})}catch(n){n.status!==401&&(d.boot="error",d.bootError=n.message),w();return}w(),$t(),document.addEventListener("visibilitychange",()=>{so(document.visibilityState==="visible"),document.hidden||on()}),window.addEventListener("online",on),Zn(_o)}un();Ga();
